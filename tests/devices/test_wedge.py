"""The wedge classifier on plain (char, time) sequences: scanner bursts, people, and both."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from devices.wedge import GS, SUFFIX_KEYS, WedgeAction, WedgeDetector, WedgeVerdict


@dataclass
class Bench:
    """What the Qt filter would do with the verdicts: the widget's text and the scans."""

    detector: WedgeDetector[str] = field(default_factory=WedgeDetector)
    typed: str = ""
    scans: list[str] = field(default_factory=list)
    now: float = 0.0

    def apply(self, verdict: WedgeVerdict[str], key: str | None = None) -> None:
        self.typed += "".join(verdict.released)
        if verdict.scan is not None:
            self.scans.append(verdict.scan)
        if key is not None and not verdict.swallow:
            self.typed += key

    def keys(self, text: str, every_ms: float, *, start_after_ms: float = 0.0) -> None:
        """Press each key of ``text``, ``every_ms`` apart, flushing when the filter would."""
        self.now += start_after_ms
        for i, char in enumerate(text):
            if i:
                self.now += every_ms
            self.flush_due()
            self.apply(self.detector.feed(char, self.now, char), char)

    def flush_due(self) -> None:
        deadline = self.detector.deadline_ms
        if deadline is not None and deadline <= self.now:
            self.apply(self.detector.flush(deadline))

    def idle(self, ms: float = 1000) -> None:
        self.now += ms
        self.flush_due()


def test_a_fast_burst_with_enter_is_one_scan_and_types_nothing() -> None:
    bench = Bench()
    bench.keys("SKU-12345\r", every_ms=6)
    bench.idle()
    assert bench.scans == ["SKU-12345"]
    assert bench.typed == ""


def test_thirteen_digits_and_enter_at_scanner_speed() -> None:
    bench = Bench()
    bench.keys("4006381333931\r", every_ms=8)
    assert bench.scans == ["4006381333931"]
    assert bench.typed == ""


def test_every_key_of_a_burst_is_held_and_the_suffix_completes_it() -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    verdicts = [detector.feed(c, t, c) for c, t in zip("1234\r", (0, 5, 10, 15, 20), strict=True)]
    assert [v.action for v in verdicts] == [WedgeAction.HOLD] * 4 + [WedgeAction.SCAN_DONE]
    assert all(v.swallow for v in verdicts)
    assert verdicts[-1].scan == "1234"
    assert not detector.holding


def test_a_person_typing_slowly_gets_every_key_back_in_order() -> None:
    bench = Bench()
    bench.keys("lamp shade", every_ms=130)
    bench.idle()
    assert bench.typed == "lamp shade"
    assert bench.scans == []


def test_a_person_pressing_enter_after_typing_keeps_the_enter_after_the_text() -> None:
    bench = Bench()
    bench.keys("1234\r", every_ms=150)
    assert bench.typed == "1234\r"
    assert bench.scans == []


def test_a_pin_typed_briskly_is_not_a_scan() -> None:
    bench = Bench()
    bench.keys("4711\r", every_ms=70)
    assert bench.typed == "4711\r"
    assert bench.scans == []


def test_a_person_typing_then_a_scan_burst_gives_both() -> None:
    bench = Bench()
    bench.keys("ord", every_ms=140)
    bench.keys("ORD-000123\r", every_ms=7, start_after_ms=400)
    bench.keys("er", every_ms=140, start_after_ms=300)
    bench.idle()
    assert bench.typed == "order"
    assert bench.scans == ["ORD-000123"]


def test_a_scan_right_after_a_key_without_any_flush_still_gives_the_key_back() -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    assert detector.feed("x", 0, "x").action is WedgeAction.HOLD
    first_of_scan = detector.feed("9", 200, "9")
    assert first_of_scan.action is WedgeAction.HOLD
    assert first_of_scan.released_text == "x"
    for i, char in enumerate("876"):
        detector.feed(char, 205 + 5 * i, char)
    assert detector.feed("\r", 225, "\r").scan == "9876"


def test_three_fast_keys_are_a_double_tap_not_a_scan() -> None:
    bench = Bench()
    bench.keys("aab", every_ms=10)
    bench.idle()
    assert bench.typed == "aab"
    assert bench.scans == []


def test_three_fast_keys_and_enter_are_typing_with_the_enter_last() -> None:
    bench = Bench()
    bench.keys("123\r", every_ms=10)
    assert bench.typed == "123\r"
    assert bench.scans == []


def test_a_lone_enter_or_tab_passes_at_once() -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    assert detector.feed("\r", 0, "\r").action is WedgeAction.PASS
    assert detector.feed("\t", 500, "\t").action is WedgeAction.PASS


def test_tab_ends_a_scan_when_the_scanner_sends_tab() -> None:
    bench = Bench(detector=WedgeDetector(suffixes=SUFFIX_KEYS["tab"]))
    bench.keys("SKU12345\t", every_ms=5)
    assert bench.scans == ["SKU12345"]
    assert bench.typed == ""


def test_with_a_tab_suffix_enter_is_never_part_of_a_scan() -> None:
    bench = Bench(detector=WedgeDetector(suffixes=SUFFIX_KEYS["tab"]))
    bench.keys("SKU12345\r", every_ms=5)
    assert bench.scans == []
    assert bench.typed == "SKU12345\r"


def test_a_burst_without_suffix_is_a_scan_once_the_scanner_falls_silent() -> None:
    detector: WedgeDetector[str] = WedgeDetector(suffixes=SUFFIX_KEYS["none"])
    for i, char in enumerate("ABC123"):
        detector.feed(char, 10 * i, char)
    assert detector.deadline_ms == 50 + 100
    assert detector.flush(120).action is WedgeAction.HOLD
    done = detector.flush(150)
    assert done.action is WedgeAction.SCAN_DONE
    assert done.scan == "ABC123"


def test_a_single_key_is_held_only_for_the_key_interval() -> None:
    detector: WedgeDetector[str] = WedgeDetector(max_key_interval_ms=30)
    detector.feed("a", 1000, "a")
    assert detector.deadline_ms == 1030
    assert detector.flush(1029).action is WedgeAction.HOLD
    released = detector.flush(1030)
    assert released.action is WedgeAction.RELEASE
    assert released.released == ("a",)


def test_gs_from_ctrl_bracket_stays_in_the_scan() -> None:
    bench = Bench()
    bench.keys(f"0109501101530003{GS}10AB12\r", every_ms=6)
    assert bench.scans == [f"0109501101530003{GS}10AB12"]


def test_a_configured_gs_substitute_becomes_gs_in_the_scan_only() -> None:
    bench = Bench(detector=WedgeDetector(gs_substitutes=("~",)))
    bench.keys("10AB12~17251231\r", every_ms=6)
    bench.keys("a~b", every_ms=200, start_after_ms=500)
    bench.idle()
    assert bench.scans == [f"10AB12{GS}17251231"]
    assert bench.typed == "a~b"


def test_a_suffix_a_little_late_still_ends_the_scan() -> None:
    detector: WedgeDetector[str] = WedgeDetector(max_key_interval_ms=30, idle_timeout_ms=100)
    for i, char in enumerate("12345"):
        detector.feed(char, 5 * i, char)
    late_enter = detector.feed("\r", 20 + 80, "\r")
    assert late_enter.action is WedgeAction.SCAN_DONE
    assert late_enter.scan == "12345"


def test_an_enter_long_after_an_unflushed_burst_passes_after_the_scan() -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    for i, char in enumerate("12345"):
        detector.feed(char, 5 * i, char)
    enter = detector.feed("\r", 1000, "\r")
    assert enter.action is WedgeAction.PASS
    assert enter.scan == "12345"


def test_a_slow_key_after_a_burst_ends_the_scan_and_is_held_itself() -> None:
    detector: WedgeDetector[str] = WedgeDetector(suffixes=())
    for i, char in enumerate("12345"):
        detector.feed(char, 5 * i, char)
    next_key = detector.feed("x", 20 + 60, "x")
    assert next_key.action is WedgeAction.HOLD
    assert next_key.scan == "12345"
    assert detector.holding


@pytest.mark.parametrize("control", ["\b", "\x1b", "\x03"])
def test_a_control_key_gives_back_held_keys_then_passes(control: str) -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    detector.feed("a", 0, "a")
    verdict = detector.feed(control, 10, control)
    assert verdict.action is WedgeAction.RELEASE
    assert verdict.released == ("a",)
    assert not verdict.swallow


def test_release_gives_back_what_is_held_for_a_focus_change() -> None:
    detector: WedgeDetector[str] = WedgeDetector()
    detector.feed("a", 0, "a")
    detector.feed("b", 5, "b")
    assert detector.release().released_text == "ab"
    assert detector.release().action is WedgeAction.PASS
    assert detector.deadline_ms is None


def test_held_keys_come_back_as_the_objects_the_caller_gave() -> None:
    detector: WedgeDetector[tuple[str, int]] = WedgeDetector()
    detector.feed("a", 0, ("event", 1))
    detector.feed("b", 5, ("event", 2))
    assert detector.flush(100).released == (("event", 1), ("event", 2))


def test_thresholds_are_configurable() -> None:
    lenient: WedgeDetector[str] = WedgeDetector(max_key_interval_ms=60, min_length=6)
    bench = Bench(detector=lenient)
    bench.keys("12345\r", every_ms=50)
    bench.keys("123456\r", every_ms=50, start_after_ms=500)
    assert bench.typed == "12345\r"
    assert bench.scans == ["123456"]


def test_a_burst_longer_than_any_barcode_is_held_no_further_and_ends_as_one_scan() -> None:
    bench = Bench(WedgeDetector(max_length=100))
    bench.keys("7" * 20_000 + "\r", 2)
    assert bench.typed == ""
    assert bench.scans == ["7" * 101]  # past the limit: long enough for decode to refuse


def test_a_too_long_burst_keeps_holding_only_its_first_keys() -> None:
    detector: WedgeDetector[int] = WedgeDetector(max_length=100)
    for n in range(5_000):
        assert detector.feed("7", n * 2.0, n).swallow
    assert detector.discarding
    assert len(detector.release().scan or "") == 101  # never given back as typing


def test_the_scan_after_a_too_long_burst_is_read_as_usual() -> None:
    bench = Bench(WedgeDetector(max_length=100))
    bench.keys("7" * 5_000, 2)
    bench.keys("ORD-100234\r", 2, start_after_ms=200)
    assert bench.scans == ["7" * 101, "ORD-100234"]
    assert bench.typed == ""


def test_a_key_interrupting_a_too_long_burst_ends_it_as_a_scan() -> None:
    bench = Bench(WedgeDetector(max_length=100))
    bench.keys("7" * 500, 2)
    bench.apply(bench.detector.feed("\x1b", bench.now + 2, "\x1b"), "\x1b")  # Escape
    assert bench.scans == ["7" * 101]
    assert bench.typed == "\x1b"
