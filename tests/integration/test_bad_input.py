"""Bad input on the engine side: every case gives one clear line, a report of what could be read,
and exit 2 (an incomplete run never exits 0), never a traceback."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seawall.docker.client import Engine
from seawall.docker.collect import EngineOptions, collect_engine
from tests.integration.conftest import PREFIX, audit_json
from tests.support.engine import docker, import_image, remove_prefixed

HOST_SECTIONS = {"1", "3"}


def _assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("seawall: error")]
    assert len(lines) >= 1, proc.stderr
    joined = "\n".join(lines)
    for w in words:
        assert w in joined, (w, proc.stderr)


def _host_sections_reported(report: dict[str, Any]) -> None:
    sections = {c["id"].split(".")[0] for c in report["controls"]}
    assert sections >= HOST_SECTIONS
    host_rows = [r for r in report["results"] if r["rule_id"].startswith(("HO", "FP"))]
    assert host_rows and any(r["outcome"] != "error" for r in host_rows)


def test_no_engine_reachable() -> None:
    report, proc = audit_json("--host", "unix:///tmp/seawall-no-such.sock")
    assert proc.returncode == 2
    _assert_one_line_error(proc, "unix:///tmp/seawall-no-such.sock")
    _host_sections_reported(report)
    engine_rows = [r for r in report["results"] if r["rule_id"].startswith("RT")]
    assert engine_rows and all(r["outcome"] == "error" for r in engine_rows)


def test_dead_tcp_endpoint() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        report, proc = audit_json("--host", f"tcp://127.0.0.1:{port}", "--timeout", "3")
    assert proc.returncode == 2
    _assert_one_line_error(proc, f"tcp://127.0.0.1:{port}", "refused")
    _host_sections_reported(report)


class _OldEngine(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path.endswith("/_ping") else 404)
        self.send_header("API-Version", "1.12")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def old_engine() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OldEngine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_engine_api_older_than_minimum(old_engine: str) -> None:
    report, proc = audit_json("--host", old_engine)
    assert proc.returncode == 2
    _assert_one_line_error(proc, "1.12", "1.24")
    _host_sections_reported(report)


def test_permission_denied_on_socket(tmp_path: Path) -> None:
    path = tmp_path / "locked.sock"
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(str(path))
    srv.listen(1)
    os.chmod(path, 0)
    try:
        # Root bypasses file modes through CAP_DAC_OVERRIDE: drop it so the mode applies.
        proc = subprocess.run(
            [
                "setpriv",
                "--bounding-set=-dac_override,-dac_read_search",
                "--",
                sys.executable,
                "-m",
                "seawall",
                "audit",
                "--format",
                "json",
                "--host",
                f"unix://{path}",
                "--host-root",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        srv.close()
    assert proc.returncode == 2
    _assert_one_line_error(proc, "permission denied", str(path))
    json.loads(proc.stdout)


def test_malformed_daemon_json(engine: str, tmp_path: Path) -> None:
    bad = tmp_path / "daemon.json"
    bad.write_text('{"icc": false,, }')
    report, proc = audit_json("--daemon-config", str(bad), "--checks", "2,3")
    assert proc.returncode == 2
    _assert_one_line_error(proc, "daemon.json")
    assert any(r["outcome"] == "error" for r in report["results"] if r["rule_id"].startswith("DM"))


def test_host_root_missing_files(engine: str, tmp_path: Path) -> None:
    report, proc = audit_json("--host-root", str(tmp_path), "--checks", "1,3")
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (1, 2)
    rows = [r for r in report["results"] if r["rule_id"].startswith("FP")]
    assert rows and all(r["outcome"] in ("skip", "pass", "error") for r in rows)
    assert all(r.get("reason") for r in rows if r["outcome"] in ("skip", "error"))


class _VanishingEngine(Engine):
    """A real engine client that removes one container right after the list call."""

    victim = ""

    def get(self, path: str, **params: Any) -> Any:
        doc = super().get(path, **params)
        if path == "/containers/json" and self.victim:
            docker("rm", "-f", self.victim)
            self.victim = ""
        return doc


def test_container_disappears_mid_audit(engine: str) -> None:
    prefix = f"{PREFIX}v"
    try:
        image = f"{prefix}/img:1"
        import_image(image, with_sshd=False, setuid=False)
        for i in range(3):
            docker("create", "--name", f"{prefix}-{i}", image, "true")
        eng = _VanishingEngine(engine)
        eng.victim = f"{prefix}-1"
        facts = collect_engine(eng, EngineOptions(include=(f"{prefix}-*",), image_files=False))
        eng.close()
        assert [c.name for c in facts.containers] == [f"{prefix}-0", f"{prefix}-2"]
        assert facts.vanished == (f"container/{prefix}-1",)
        assert facts.errors == {}
    finally:
        remove_prefixed(prefix)
