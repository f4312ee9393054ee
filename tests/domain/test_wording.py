"""The one place messages are joined: counted nouns, lists of names, sentences."""

from __future__ import annotations

import pytest

from app.domain.wording import count, listing, sentence, sentences, statement, then


@pytest.mark.parametrize(
    ("n", "words"), [(0, "0 items"), (1, "1 item"), (2, "2 items"), (11, "11 items")]
)
def test_a_count_says_its_noun_in_the_right_number(n: int, words: str) -> None:
    assert count(n, "item") == words


def test_an_irregular_plural_is_given() -> None:
    assert (count(1, "try", "tries"), count(3, "try", "tries")) == ("1 try", "3 tries")


@pytest.mark.parametrize(
    ("names", "words"),
    [
        ([], ""),
        (["100240"], "100240"),
        (["100240", "100250"], "100240 and 100250"),
        (["1", "2", "3"], "1, 2 and 3"),
        (["1", "2", "3", "4"], "1, 2, 3 and 1 more"),
        (["1", "2", "3", "4", "5", "6"], "1, 2, 3 and 3 more"),
    ],
)
def test_a_listing_names_up_to_three_and_counts_the_rest(names: list[str], words: str) -> None:
    assert listing(names) == words


def test_sentences_begin_with_a_capital_and_end_with_one_full_stop() -> None:
    assert sentence("scan 1 more MUG-BLUE-350") == "Scan 1 more MUG-BLUE-350."
    assert sentence("Done!") == "Done!"
    assert (
        sentences("1 item already packed", None, "", "scan 1 more mug.")
        == "1 item already packed. Scan 1 more mug."
    )


def test_then_puts_the_next_step_after_a_colon_not_after_a_full_stop() -> None:
    said = "Order 100234 is being packed at ST-02 by Ana until 07:46."
    assert then(said, "scan another order") == (
        "Order 100234 is being packed at ST-02 by Ana until 07:46: scan another order."
    )
    assert statement("Nothing to undo..") == "Nothing to undo"
