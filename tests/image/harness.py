"""Run ``tests.image.probe`` in a child process and check the hostile-input guarantees.

Peak RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` taken by a small intermediate process
(``probe --measure``) over the probe it runs, so the test runner's own size never counts.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MIB = 500
MAX_SECONDS = 30.0
#: Host files whose bytes must never show up in what a walk returns.
HOST_FILES = ("/etc/hostname", "/etc/passwd", "/etc/hosts")


@dataclass(frozen=True)
class Outcome:
    """What the child printed, its peak RSS and how long it ran."""

    result: dict[str, Any]
    rss_mib: float
    seconds: float

    @property
    def error(self) -> str | None:
        """The ``SeawallError`` text, if one was raised."""
        err = self.result.get("error")
        return str(err) if err is not None else None

    def layer(self, i: int = 0) -> dict[str, Any]:
        """What layer ``i`` gave."""
        layers: list[dict[str, Any]] = self.result["layers"]
        return layers[i]

    def notes(self) -> str:
        """All notes of all layers, one per line."""
        return "\n".join(n for layer in self.result["layers"] for n in layer["notes"])


def probe(request: dict[str, Any], timeout: float = MAX_SECONDS * 2) -> Outcome:
    """Run one probe request in a fresh interpreter."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.image.probe", "--measure", json.dumps(request)],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode(errors="replace")
    assert proc.returncode == 0, f"probe exited {proc.returncode}: {errors[-3000:]}"
    result = json.loads(text)
    assert "crash" not in result, result["crash"]
    return Outcome(result, result["rss_kib"] / 1024, seconds)


def host_bytes() -> list[bytes]:
    """Contents of the host files that must never leak (those long enough to be telling)."""
    found = []
    for path in HOST_FILES:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if len(data.strip()) >= 6:
            found.append(data)
    return found


def assert_safe(outcome: Outcome, *, canary: Path, tmpdir: Path) -> None:
    """The guarantees every hostile case must keep, whatever the verdict."""
    assert outcome.rss_mib < MAX_RSS_MIB, f"peak RSS {outcome.rss_mib:.0f} MiB"
    assert outcome.seconds < MAX_SECONDS, f"took {outcome.seconds:.1f} s"
    assert list(canary.iterdir()) == [], "something was written to the canary directory"
    leaked = host_bytes()
    for layer in outcome.result["layers"]:
        for path, meta in layer["files"].items():
            content = base64.b64decode(meta["head"])
            for data in leaked:
                assert data not in content, f"{path} holds host file content"
    # Everything seawall wrote is inside its temp dir, as regular files at the top level.
    for entry in tmpdir.iterdir():
        assert entry.is_file() and not entry.is_symlink(), entry
