"""Two daemons on one host: auditing each socket reports that daemon's own process and flags.

The second dockerd (tests/support/daemon2.py) gets its own data root, exec root, pidfile,
socket and bridge (never ``--bridge=none``, which would delete the first daemon's docker0), a
plain TCP listener and different flags.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import PREFIX, audit_json
from tests.support.daemon2 import start_daemon


@pytest.fixture(scope="module")
def second_daemon(engine: str) -> Iterator[tuple[str, int, int]]:
    try:
        daemon = start_daemon(
            prefix=f"{PREFIX}-dockerd",
            tcp="plain",
            extra_args=(
                "--log-level=warn",
                "--userland-proxy=false",
                "--live-restore",
                "--no-new-privileges",
            ),
        )
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        assert daemon.port is not None
        yield daemon.unix_host, daemon.pid, daemon.port
    finally:
        daemon.stop()


def _daemon_report(endpoint: str, tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = tmp / "facts.json"
    report, proc = audit_json("--host", endpoint, "--checks", "2", "--save-facts", str(facts))
    assert "Traceback" not in proc.stderr
    return report, json.loads(facts.read_text())


def _outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {r["rule_id"]: r["outcome"] for r in report["results"]}


def test_each_socket_reports_its_own_daemon(
    second_daemon: tuple[str, int, int], tmp_path: Path
) -> None:
    endpoint, pid, _ = second_daemon
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, first_facts = _daemon_report("unix:///var/run/docker.sock", tmp_path / "a")
    second, second_facts = _daemon_report(endpoint, tmp_path / "b")
    assert second_facts["daemon"]["pid"] == pid
    first_pid = int(Path("/var/run/docker.pid").read_text().strip())
    assert first_facts["daemon"]["pid"] == first_pid != pid
    a, b = _outcomes(first), _outcomes(second)
    # (--icc=false cannot be combined with --iptables=false: dockerd refuses to start.)
    assert b["DM014"] == "pass" and a["DM014"] == "fail"  # no-new-privileges only there
    assert b["DM015"] == "pass" and a["DM015"] == "fail"  # live restore only there
    assert b["DM016"] == "pass" and a["DM016"] == "fail"  # userland proxy off only there
    assert b["DM004"] == "fail" and a["DM004"] == "pass"  # --iptables=false only there
    assert b["DM003"] == "fail" and a["DM003"] == "pass"  # log level warn, not info


def test_plain_tcp_endpoint_is_audited_as_a_finding(
    second_daemon: tuple[str, int, int], tmp_path: Path
) -> None:
    _, pid, port = second_daemon
    report, facts = _daemon_report(f"tcp://127.0.0.1:{port}", tmp_path)
    assert facts["daemon"]["pid"] == pid  # found from the listening TCP socket's inode
    dm007 = next(r for r in report["results"] if r["rule_id"] == "DM007")
    assert dm007["outcome"] == "fail"
    assert f"127.0.0.1:{port}" in " ".join([dm007["message"], *dm007["evidence"]])
    assert not any(r["outcome"] == "error" for r in report["results"])
