"""Progress on a terminal (rich, on stderr); silent when stderr is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn


@contextmanager
def progress_reporter() -> Iterator[Callable[[str, int], None] | None]:
    """Yield a ``(label, done)`` callback that updates a spinner, or ``None`` when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("collecting facts", total=None)

        def update(label: str, done: int) -> None:
            bar.update(task, description=f"collecting facts: {done} objects read ({label})")

        yield update
