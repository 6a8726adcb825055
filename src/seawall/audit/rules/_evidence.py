"""Evidence helpers shared by rules that list many offending items."""

from __future__ import annotations

from collections.abc import Sequence

#: Longest evidence list a rule prints; the rest is counted, so reports stay readable.
MAX_LISTED = 20


def capped(lines: Sequence[str], limit: int = MAX_LISTED) -> tuple[str, ...]:
    """The first ``limit`` lines, plus ``+N more`` when there are more."""
    more = (f"+{len(lines) - limit} more",) if len(lines) > limit else ()
    return (*lines[:limit], *more)
