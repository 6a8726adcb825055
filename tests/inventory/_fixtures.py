"""Shared helpers of the analyzer tests (OS, language, binary): inputs, JSON views, fixture runner.

A fixture is ``tests/inventory/<analyzer-id>/input/`` (files at their image paths, including
decoys) plus ``expected.json``: for every file the analyzer wants, keyed by image path, what it
found (``packages`` without layer and ``notes``; the OS analyzers' also ``os``) or the
``error`` it raised. ``SEAWALL_REGEN_FIXTURES=1`` rewrites expected.json after a deliberate
change; review the diff.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path
from typing import Any

from seawall.inventory.analyzer import Analyzer, AnalyzerError, FileInput, Found

FIXTURES = Path(__file__).parent
REGEN = os.environ.get("SEAWALL_REGEN_FIXTURES") == "1"


def disk_input(file: Path, image_path: str, mode: int | None = None) -> FileInput:
    """A FileInput reading a host file as if it were ``image_path`` in an image (its real mode
    unless ``mode`` is given)."""
    st = file.stat()
    return FileInput(
        image_path, st.st_size, st.st_mode if mode is None else mode, lambda: file.open("rb")
    )


def bytes_input(image_path: str, data: bytes, mode: int = 0o100644) -> FileInput:
    """A FileInput over bytes held in memory."""
    return FileInput(image_path, len(data), mode, lambda: io.BytesIO(data))


def found_json(found: Found, *, with_os: bool = False) -> dict[str, Any]:
    """What an analyzer found, as JSON-ready data (packages without their layer)."""
    packages = []
    for pkg in found.packages:
        data = dataclasses.asdict(pkg)
        assert data.pop("layer") is None
        data["licenses"] = list(pkg.licenses)
        data["properties"] = [list(p) for p in pkg.properties]
        packages.append(data)
    view: dict[str, Any] = {}
    if with_os:
        view["os"] = dataclasses.asdict(found.os) if found.os else None
    return {**view, "packages": packages, "notes": list(found.notes)}


def run_tree(a: Analyzer, root: Path, *, with_os: bool = False) -> tuple[dict[str, Any], int]:
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
        got[image_path] = found_json(found, with_os=with_os)
    return got, decoys


def check_expected(got: dict[str, Any], expected_file: Path) -> None:
    """Assert ``got`` equals the checked-in ``expected_file`` (rewritten first when regenerating)."""
    if REGEN:
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(expected_file.read_text())
