"""Outcome of one check against one target."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """What a check concluded about one target.

    ``skip`` means not applicable (with a reason); ``error`` means the check could not be
    evaluated (with a reason) and makes the run incomplete.
    """

    PASS = "pass"  # noqa: S105 - an outcome name, not a password
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"
    MANUAL = "manual"
    SKIP = "skip"
    ERROR = "error"

    @property
    def is_problem(self) -> bool:
        """True for outcomes that can fail a run (``fail`` and ``warn``)."""
        return self in (Outcome.FAIL, Outcome.WARN)

    @property
    def rank(self) -> int:
        """Order used to summarise several targets into one row: the worst wins."""
        return _RANK[self]


_RANK = {
    Outcome.PASS: 0,
    Outcome.SKIP: 1,
    Outcome.INFO: 2,
    Outcome.MANUAL: 3,
    Outcome.WARN: 4,
    Outcome.FAIL: 5,
    Outcome.ERROR: 6,
}
