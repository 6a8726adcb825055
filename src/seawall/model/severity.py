"""Severity: one ordered scale for every rule, with its SARIF and score mappings beside it."""

from __future__ import annotations

from enum import IntEnum


class Severity(IntEnum):
    """How bad a failing check is. Ordered: info < low < medium < high < critical."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Lower-case name used in every output (``"high"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse a user-supplied severity name (case-insensitive).

        Raises ``ValueError`` naming the accepted values when ``text`` is not one.
        """
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (use one of: {names})") from None

    @property
    def sarif_level(self) -> str:
        """SARIF ``level``: critical/high -> error, medium -> warning, low/info -> note."""
        if self >= Severity.HIGH:
            return "error"
        if self is Severity.MEDIUM:
            return "warning"
        return "note"

    @property
    def security_severity(self) -> str:
        """GitHub ``security-severity`` bucket (a CVSS-like score as a string)."""
        return {
            Severity.CRITICAL: "9.5",
            Severity.HIGH: "8.0",
            Severity.MEDIUM: "5.5",
            Severity.LOW: "2.0",
            Severity.INFO: "0.5",
        }[self]
