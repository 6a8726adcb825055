"""Helpers of the OS-analyzer tests (os-release, dpkg, apk, rpm): inputs and JSON views."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

from seawall.inventory.analyzer import Analyzer, FileInput, Found
from seawall.inventory.analyzers import group_os

HERE = Path(__file__).parent


def disk_input(path: Path, image_path: str) -> FileInput:
    """A FileInput reading a host test file as if it were ``image_path`` in an image."""
    st = path.stat()
    return FileInput(image_path, st.st_size, st.st_mode, lambda: path.open("rb"))


def bytes_input(image_path: str, data: bytes) -> FileInput:
    """A FileInput over bytes held in memory."""
    return FileInput(image_path, len(data), 0o100644, lambda: io.BytesIO(data))


def found_json(found: Found) -> dict[str, Any]:
    """What an analyzer found, as JSON-ready data (packages without their layer)."""
    packages = []
    for pkg in found.packages:
        data = dataclasses.asdict(pkg)
        assert data.pop("layer") is None
        data["licenses"] = list(pkg.licenses)
        data["properties"] = [list(p) for p in pkg.properties]
        packages.append(data)
    return {
        "os": dataclasses.asdict(found.os) if found.os else None,
        "packages": packages,
        "notes": list(found.notes),
    }


def by_id(analyzer_id: str) -> Analyzer:
    """The OS-group analyzer with this ID."""
    return next(a for a in group_os.ANALYZERS if a.id == analyzer_id)
