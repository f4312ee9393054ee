"""The assignment rule over plain values: whole, split, wait, country preference, ranking."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from app.domain.warehouses import (
    SPLIT,
    WAIT,
    Need,
    Part,
    WarehouseInfo,
    assign,
    parse_ranking,
    part_suffix,
)

MAN = WarehouseInfo("MAN", frozenset({"GB", "IE"}), priority=2)
LON = WarehouseInfo("LON", frozenset({"GB"}), priority=1)
BER = WarehouseInfo("BER", frozenset({"DE", "AT"}))
ALL = [BER, LON, MAN]
APPLE, BEAN, CORN = 1, 2, 3


def stock(**by_code: dict[int, int]) -> dict[tuple[str, int], int]:
    return {(code, p): n for code, products in by_code.items() for p, n in products.items()}


def test_the_one_that_ships_it_whole_wins_over_the_one_serving_the_country() -> None:
    got = assign(
        [Need(1, APPLE, 1), Need(2, CORN, 1)],
        stock(MAN={APPLE: 5}, BER={APPLE: 5, CORN: 5}),
        ALL,
        "GB",
        {},
    )
    assert got.parts == (Part("BER", ((1, 1), (2, 1))),) and not got.waiting
    assert got.reason.startswith("BER can ship it whole")


def test_among_those_that_can_the_one_serving_the_country_then_priority() -> None:
    available = stock(MAN={APPLE: 5}, LON={APPLE: 5}, BER={APPLE: 5})
    assert assign([Need(1, APPLE, 2)], available, ALL, "DE", {}).warehouse == "BER"
    gb = assign([Need(1, APPLE, 2)], available, ALL, "GB", {})
    assert gb.warehouse == "MAN" and "serves GB" in gb.reason  # both serve GB: priority 2
    # Nobody serves FR: the configured ranking, then priority.
    fr = assign([Need(1, APPLE, 2)], available, ALL, "FR", {"FR": ("BER", "LON")})
    assert fr.warehouse == "BER" and "nearest to FR" in fr.reason
    assert assign([Need(1, APPLE, 2)], available, ALL, "FR", {}).warehouse == "MAN"
    assert assign([Need(1, APPLE, 2)], available, ALL, "US", {"*": ("LON",)}).warehouse == "LON"


def test_units_of_one_product_on_several_lines_count_together() -> None:
    got = assign(
        [Need(1, APPLE, 3), Need(2, APPLE, 3)], stock(MAN={APPLE: 5}, BER={APPLE: 6}), ALL, "GB", {}
    )
    assert got.warehouse == "BER"


def test_none_whole_splits_by_preference_each_taking_what_it_has() -> None:
    got = assign(
        [Need(1, BEAN, 3), Need(2, CORN, 1)],
        stock(MAN={BEAN: 2}, LON={BEAN: 2}, BER={CORN: 5}),
        ALL,
        "GB",
        {},
        SPLIT,
    )
    assert got.split and not got.waiting
    assert got.parts == (
        Part("MAN", ((1, 2),)),
        Part("LON", ((1, 1),)),
        Part("BER", ((2, 1),)),
    )
    assert got.reason.startswith("split: no warehouse can ship it whole")


def test_a_split_leaves_what_nobody_has_waiting_in_the_preferred_one() -> None:
    got = assign([Need(1, BEAN, 3), Need(2, CORN, 1)], stock(BER={CORN: 1}), ALL, "GB", {}, SPLIT)
    assert got.parts == (Part("MAN", ((1, 3),)), Part("BER", ((2, 1),))) and got.waiting
    assert "what none has waits in MAN" in got.reason


def test_none_whole_waits_whole_in_the_preferred_one_when_configured() -> None:
    got = assign(
        [Need(1, BEAN, 1), Need(2, CORN, 1)],
        stock(MAN={BEAN: 2}, BER={CORN: 5}),
        ALL,
        "GB",
        {},
        WAIT,
    )
    assert got.parts == (Part("MAN", ((1, 1), (2, 1))),) and got.waiting
    assert "waits for stock in MAN (serves GB)" in got.reason


def test_with_one_warehouse_nothing_changes() -> None:
    got = assign([Need(1, APPLE, 9)], {}, [MAN], "DE", {}, SPLIT)
    assert got.parts == (Part("MAN", ((1, 9),)),) and got.reason == "the only warehouse"


def test_the_ranking_setting_is_read_or_refused_with_the_reason() -> None:
    assert parse_ranking("gb: man, lon; *: BER") == {"GB": ("MAN", "LON"), "*": ("BER",)}
    assert parse_ranking("") == {}
    for bad in ("GB MAN", "GBR: MAN", "GB: ", "GB: MAN; GB: LON", "GB: MA N"):
        with pytest.raises(ValueError, match="GB"):
            parse_ranking(bad)
    assert [part_suffix(i) for i in (0, 1, 25, 26)] == ["A", "B", "Z", "AA"]


def test_a_bad_ranking_in_the_config_is_named(isolated_home: object) -> None:
    config = load_config()
    config.paths.config_file.write_text(
        '[warehouses]\nranking = "GB MAN"\n[station]\nwarehouse = "man"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as error:
        load_config()
    assert "[warehouses] ranking" in str(error.value)
    assert "[station] warehouse" in str(error.value)
