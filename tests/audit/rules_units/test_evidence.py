"""Long evidence lists are capped and counted, never silently cut."""

from __future__ import annotations

from seawall.audit.rules._evidence import MAX_LISTED, capped


def test_short_lists_are_kept_whole() -> None:
    assert capped(["a", "b"]) == ("a", "b")
    assert capped([]) == ()
    assert capped([str(i) for i in range(MAX_LISTED)]) == tuple(str(i) for i in range(MAX_LISTED))


def test_long_lists_say_how_many_were_left_out() -> None:
    out = capped([str(i) for i in range(MAX_LISTED + 7)])
    assert out[:-1] == tuple(str(i) for i in range(MAX_LISTED))
    assert out[-1] == "+7 more"
    assert capped(["a", "b", "c"], limit=1) == ("a", "+2 more")
