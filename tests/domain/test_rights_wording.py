"""Every right has its wording: the refusals, the rights grid and the central store's checks
of a user change all name a right by ``DOING`` (a right without one broke the Users page)."""

from app.domain.users import DOING, Permission


def test_every_right_says_what_it_lets_one_do() -> None:
    assert [p for p in Permission if p not in DOING] == []
