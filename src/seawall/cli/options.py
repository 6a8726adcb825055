"""Option types and helpers shared by commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from seawall.model import Severity


class SeverityType(click.ParamType):  # type: ignore[type-arg]
    """A severity name (info, low, medium, high, critical), case-insensitive."""

    name = "severity"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Severity:
        """Parse or fail with the list of valid names."""
        if isinstance(value, Severity):
            return value
        try:
            return Severity.parse(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SEVERITY = SeverityType()


def split_csv(values: Iterable[str]) -> tuple[str, ...]:
    """Flatten repeated and comma-separated option values: ``-c a,b -c c`` -> ``(a, b, c)``."""
    out: list[str] = []
    for v in values:
        out.extend(p.strip() for p in str(v).split(",") if p.strip())
    return tuple(out)
