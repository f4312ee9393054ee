"""The base of a scan-driven bench, with a pick bench in miniature built on it.

What every bench shares, whatever it waits for: a badge is refused before anything awaited,
anything but the awaited thing (or CANCEL) is refused in the awaited thing's words, a
refusal changes nothing and keeps the wait, keys run like scans, and every step answers
with one BenchResult (tone, words, the line to flash, the NEXT line).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.bench import Awaiting, BenchResult, Need, Prompt, Tone
from app.domain.decode import Command, ProductHit, ScanKind, ScanMeaning, decode
from app.domain.errors import DomainError
from ui.workspaces.bench import BenchController

MUG = ProductHit(1, "MUG-BLUE-350", "Blue mug 350 ml")


@dataclass(frozen=True, kw_only=True)
class BinAwaited(Awaiting):
    sku: str


class ToyPick(BenchController):
    """Scan an item, then the bin it came from; the bin Z-99-9 is empty."""

    doing = "picking"

    def __init__(self) -> None:
        super().__init__()
        self.picked: list[tuple[str, str]] = []

    def take(self, meaning: ScanMeaning) -> BenchResult:
        if meaning.kind is ScanKind.PRODUCT and meaning.product is not None:
            sku = meaning.product.sku
            self.awaiting = BinAwaited(
                need=Need.BIN,
                prompt=f"NEXT  scan the bin of {sku}",
                refusal=f"Scan the bin {sku} came from first (or CANCEL).",
                sku=sku,
            )
            return self.done(f"{sku}: now scan its bin")
        return self.refused(f"{meaning.message}: scan an item.")

    def take_awaited(self, meaning: ScanMeaning, awaiting: Awaiting) -> BenchResult:
        if meaning.kind is ScanKind.BIN and isinstance(awaiting, BinAwaited):
            bin_code = meaning.decoded.reference or ""
            if bin_code == "Z-99-9":
                raise DomainError(f"Bin {bin_code} is empty: scan the bin you took it from.")
            self.awaiting = None
            self.picked.append((awaiting.sku, bin_code))
            return self.done(f"{awaiting.sku} picked from {bin_code}", flash_line=1)
        return super().take_awaited(meaning, awaiting)

    def command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        return self.refused(f"{command.value} does nothing here.")

    def cancel(self) -> BenchResult:
        self.awaiting = None
        return self.done("Cancelled")

    def prompt(self) -> Prompt:
        return super().prompt() if self.awaiting else Prompt("NEXT  scan an item")


def scanned(text: str) -> ScanMeaning:
    decoded = decode(text)
    if decoded.kind is ScanKind.PRODUCT:
        return ScanMeaning(decoded.kind, decoded, MUG.name, product=MUG, units=1)
    return ScanMeaning(decoded.kind, decoded, f"{decoded.kind.value} {text}")


def test_a_bench_waits_for_what_it_asked_and_refuses_the_rest_in_its_words() -> None:
    bench = ToyPick()
    item = bench.on_scan(scanned("5012345678900"))
    assert (item.said, item.tone) == ("MUG-BLUE-350: now scan its bin", Tone.WAITING)
    assert item.awaiting is not None and item.awaiting.need is Need.BIN
    assert item.next == Prompt("NEXT  scan the bin of MUG-BLUE-350", Tone.WAITING)

    badge = bench.on_scan(scanned("B-PACK-01"))
    assert badge.refused and badge.next is None  # a refusal leaves the NEXT line alone
    assert badge.said == "A badge: sign out first (Ctrl+L) to change who is picking."
    other = bench.on_scan(scanned("5012345678900"))
    assert other.said == "Scan the bin MUG-BLUE-350 came from first (or CANCEL)."
    assert other.awaiting == item.awaiting  # still waiting for the bin

    empty = bench.on_scan(scanned("Z-99-9"))
    assert empty.refused and empty.said == "Bin Z-99-9 is empty: scan the bin you took it from."
    assert bench.awaiting == item.awaiting and bench.picked == []

    picked = bench.on_scan(scanned("A-03-2"))
    assert (picked.said, picked.tone, picked.flash_line) == (
        "MUG-BLUE-350 picked from A-03-2",
        Tone.DONE,
        1,
    )
    assert picked.awaiting is None and picked.next == Prompt("NEXT  scan an item")
    assert bench.picked == [("MUG-BLUE-350", "A-03-2")]


def test_a_key_runs_as_its_command_barcode_does() -> None:
    bench = ToyPick()
    bench.on_scan(scanned("5012345678900"))
    cancelled = bench.on_key(Command.CANCEL)
    assert (cancelled.said, cancelled.tone, cancelled.awaiting) == ("Cancelled", Tone.DONE, None)
    by_scan = bench.on_scan(scanned("%PB:CLOSE"))
    by_key = bench.on_key(Command.CLOSE)
    assert by_scan == by_key == BenchResult.refusal("CLOSE does nothing here.")
