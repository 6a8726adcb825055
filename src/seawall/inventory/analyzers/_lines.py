"""Bounded line reading and note keeping for the text package databases (dpkg, apk).

Package databases come from images, so they may be huge, binary or one endless line:
they are read in fixed-size blocks, longer lines are truncated and flagged (their rest
skipped without being held), and the total read is capped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from seawall.inventory.analyzer import AnalyzerError

#: Longest line kept; package databases' useful lines are far shorter.
MAX_LINE = 64 * 1024
_BLOCK = 64 * 1024
#: Notes kept per file (the rest are counted in a final note).
MAX_NOTES = 20


def bounded_lines(
    fh: BinaryIO, path: str, *, max_bytes: int, max_line: int = MAX_LINE
) -> Iterator[tuple[int, bytes, bool]]:
    """``(line number, line without its EOL, truncated?)`` for each line of ``fh``.

    Reads fixed-size blocks (no line is ever held longer than ``max_line``);
    ``AnalyzerError`` once more than ``max_bytes`` have been read.
    """
    total = 0
    lineno = 0
    carry, carry_cut = b"", False  # the unfinished last line of the previous block
    while block := fh.read(_BLOCK):
        total += len(block)
        if total > max_bytes:
            raise AnalyzerError(f"{path}: more than {max_bytes} bytes, over the size limit")
        pieces = block.split(b"\n")
        if carry or carry_cut:
            if not carry_cut:
                carry += pieces[0][: max_line + 1 - len(carry)]
            pieces[0], carry_cut = carry, carry_cut or len(carry) > max_line
        else:
            carry_cut = len(pieces[0]) > max_line
        if len(pieces) == 1:  # still no end of line: keep (a bounded part of) it
            carry = pieces[0][:max_line]
            continue
        last = pieces.pop()
        for n, line in enumerate(pieces):
            cut = len(line) > max_line or (n == 0 and carry_cut)
            yield lineno + n + 1, (line[:max_line] if cut else line).rstrip(b"\r"), cut
        lineno += len(pieces)
        carry, carry_cut = last[:max_line], len(last) > max_line
    if carry or carry_cut:
        yield lineno + 1, carry.rstrip(b"\r"), carry_cut


class Notes:
    """At most ``MAX_NOTES`` notes, each prefixed with the file's path, plus a count of the rest."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._kept: list[str] = []
        self._dropped = 0

    def add(self, message: str) -> None:
        """Record one note (dropped, but counted, beyond the cap)."""
        if len(self._kept) < MAX_NOTES:
            self._kept.append(f"{self._path}: {message}")
        else:
            self._dropped += 1

    def done(self) -> tuple[str, ...]:
        """The notes, with a summary line when some were dropped."""
        if self._dropped:
            return (*self._kept, f"{self._path}: {self._dropped} more notes not shown")
        return tuple(self._kept)
