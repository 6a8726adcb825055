"""``normalise``'s fast path (names with no empty, ``.`` or ``..`` part) agrees with the
part-by-part rule it shortcuts, on any name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from seawall.image.spool import normalise


def _by_parts(name: str) -> str | None:
    """The reference rule: drop empty and ``.`` parts, collapse ``..``, refuse escapes."""
    parts: list[str] = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/" + "/".join(parts)


@given(st.lists(st.sampled_from(["a", "b.", ".", "/", "..", ".x", "é", "x/"]), max_size=12))
def test_fast_path_matches_the_rule(pieces: list[str]) -> None:
    name = "".join(pieces)
    assert normalise(name) == _by_parts(name)
