"""Helpers of the language-analyzer tests: in-memory FileInputs and the fixture runner.

A fixture is ``tests/inventory/<analyzer-id>/input/`` (files at their image paths, including
decoys the analyzer must not want) plus ``expected.json``: for every file the analyzer wants,
keyed by image path, its packages (without layer) and notes, or the ``error`` it raised — the
same shape as the OS and binary analyzers' fixtures.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

from seawall.inventory.analyzer import Analyzer, AnalyzerError, FileInput

FIXTURES = Path(__file__).parent


def file_input(path: str, data: bytes) -> FileInput:
    """A FileInput over bytes held in memory."""
    return FileInput(path=path, size=len(data), mode=0o100644, opener=lambda: io.BytesIO(data))


def disk_input(file: Path, image_path: str) -> FileInput:
    """A FileInput reading a fixture file as if it were ``image_path`` in an image."""
    return FileInput(image_path, file.stat().st_size, 0o100644, lambda: file.open("rb"))


def run_tree(a: Analyzer, root: Path) -> tuple[dict[str, Any], int]:
    """What ``a`` reports for every file of ``root`` it wants (keyed by image path), and how
    many files it did not want (the decoys)."""
    got: dict[str, Any] = {}
    decoys = 0
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        image_path = "/" + file.relative_to(root).as_posix()
        if not a.required(image_path):
            decoys += 1
            continue
        try:
            found = a.analyze(disk_input(file, image_path))
        except AnalyzerError as exc:
            got[image_path] = {"error": exc.message}
            continue
        packages = []
        for pkg in found.packages:
            data = dataclasses.asdict(pkg)
            assert data.pop("layer") is None
            data["licenses"] = list(pkg.licenses)
            data["properties"] = [list(p) for p in pkg.properties]
            packages.append(data)
        got[image_path] = {"packages": packages, "notes": list(found.notes)}
    return got, decoys
