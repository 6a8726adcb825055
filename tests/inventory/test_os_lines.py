"""The bounded line reader shared by the dpkg and apk analyzers, against a simple reference."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import _lines
from seawall.inventory.analyzers._lines import Notes, bounded_lines


def reference(data: bytes, max_line: int) -> list[tuple[int, bytes, bool]]:
    """What bounded_lines must yield: every line, cut to ``max_line``, flagged when cut."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [(i + 1, p[:max_line].rstrip(b"\r"), len(p) > max_line) for i, p in enumerate(parts)]


@given(
    st.lists(
        st.sampled_from([b"a", b"bb", b"\n", b"\r", b"\r\n", b"xyzxyzxyz", b"\n\n"]), max_size=60
    ),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=9),
)
def test_matches_the_reference(pieces: list[bytes], max_line: int, block: int) -> None:
    data = b"".join(pieces)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_lines, "_BLOCK", block)
        got = list(bounded_lines(io.BytesIO(data), "/f", max_bytes=10_000, max_line=max_line))
    assert got == reference(data, max_line)


def test_size_cap() -> None:
    with pytest.raises(AnalyzerError, match=r"^/f: more than 10 bytes"):
        list(bounded_lines(io.BytesIO(b"x\n" * 6), "/f", max_bytes=10))
    assert len(list(bounded_lines(io.BytesIO(b"x\n" * 5), "/f", max_bytes=10))) == 5


def test_notes_cap() -> None:
    notes = Notes("/f")
    for i in range(_lines.MAX_NOTES + 3):
        notes.add(f"n{i}")
    done = notes.done()
    assert done[0] == "/f: n0" and done[-1] == "/f: 3 more notes not shown"
    assert len(done) == _lines.MAX_NOTES + 1
