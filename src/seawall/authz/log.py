"""The decision log: one JSON line per decision, rotated by size, never a secret.

Each line holds time, edge, subject (kind, name, uid, pid), method, path (never the query:
build args and filters can carry secrets), action, resource, decision, rule and reason. The
file is created 0600 and rotated to ``.1`` ... ``.N`` when it passes ``max_bytes``; each line is
one ``write`` on an ``O_APPEND`` descriptor, so concurrent writers never interleave lines.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

from seawall.authz.model import ApiRequest, Decision, Subject


class DecisionLog:
    """A rotating JSON-lines file of decisions (thread-safe)."""

    def __init__(self, path: str, *, max_bytes: int = 10 * 1024 * 1024, keep: int = 5) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self._lock = threading.Lock()
        self._fd = -1
        self._size = 0
        self._open()

    def _open(self) -> None:
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, mode=0o750, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._size = os.fstat(self._fd).st_size

    def _rotate(self) -> None:
        os.close(self._fd)
        if self.keep == 0:
            os.truncate(self.path, 0)
        else:
            for i in range(self.keep - 1, 0, -1):
                src = f"{self.path}.{i}"
                if os.path.exists(src):
                    os.replace(src, f"{self.path}.{i + 1}")
            os.replace(self.path, f"{self.path}.1")
        self._open()

    def record(self, edge: str, subject: Subject, request: ApiRequest, decision: Decision) -> None:
        """Append one decision."""
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "edge": edge,
            "subject": subject.name,
            "subject_kind": subject.kind.value,
            "uid": subject.uid,
            "pid": subject.pid,
            "method": request.method,
            "path": request.path,
            "version": request.version,
            "action": decision.action,
            "resource": decision.resource,
            "decision": decision.effect.value,
            "rule": decision.rule,
            "reason": decision.reason,
        }
        line = (json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n").encode()
        with self._lock:
            if self._size + len(line) > self.max_bytes and self._size > 0:
                self._rotate()
            os.write(self._fd, line)
            self._size += len(line)

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
