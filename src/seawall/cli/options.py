"""Option types and helpers shared by commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import click

from seawall.atomic import atomic_write_text
from seawall.errors import UsageError
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


def parse_now(value: str | None) -> datetime:
    """``--now`` (ISO 8601, UTC when no zone is given), else the current time to the second."""
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--now: {value!r} is not an ISO 8601 time (e.g. 2026-11-29T12:00:00Z)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def want_color(output: object) -> bool:
    """Colour only for a terminal on stdout, and never when ``NO_COLOR`` is set."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit_text(text: str, output: str | None) -> None:
    """Write a command's result: atomically to ``output``, else to stdout."""
    if output:
        try:
            atomic_write_text(output, text)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=not text.endswith("\n"))
