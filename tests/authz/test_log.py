"""The decision log: JSON lines with the decision fields, rotation, 0600, no query strings."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from seawall.authz.log import DecisionLog
from seawall.authz.model import ApiRequest, Decision, Subject, SubjectKind


def _record(log: DecisionLog, n: int = 1) -> None:
    subject = Subject(SubjectKind.USER, "alice", uid=1001, pid=42)
    request = ApiRequest(
        "POST",
        "/build",
        "1.41",
        {"buildargs": '{"PASSWORD":"hunter2"}'},
        raw_uri='/v1.41/build?buildargs={"PASSWORD":"hunter2"}',
    )
    for _ in range(n):
        log.record("proxy", subject, request, Decision(False, "ci/build", "no", "image.build", "-"))


def test_lines_carry_the_decision_and_never_the_query(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "authz.jsonl"
    log = DecisionLog(str(path))
    _record(log)
    log.close()
    text = path.read_text()
    entry = json.loads(text)
    assert entry["subject"] == "alice" and entry["uid"] == 1001 and entry["pid"] == 42
    assert entry["decision"] == "deny" and entry["rule"] == "ci/build"
    assert entry["action"] == "image.build" and entry["path"] == "/build"
    assert "hunter2" not in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_rotation_keeps_n_files(tmp_path: Path) -> None:
    path = tmp_path / "authz.jsonl"
    log = DecisionLog(str(path), max_bytes=4096, keep=2)
    _record(log, 200)
    log.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["authz.jsonl", "authz.jsonl.1", "authz.jsonl.2"]
    for p in tmp_path.iterdir():
        assert p.stat().st_size <= 4096
        for line in p.read_text().splitlines():
            json.loads(line)  # never a torn line
