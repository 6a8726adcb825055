"""The audit scenario on the real engine: insecure containers, one setting each, and a hardened one.

Built once per session from local root filesystems (no pulls), named with a unique prefix and
removed afterwards (also the shared bind mount the propagation case needs).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from seawall.output import report_schema
from tests.support.engine import build_image, docker, import_image, remove_prefixed

PREFIX = f"swit{os.getpid()}"


@dataclass(frozen=True)
class Scenario:
    """Names of what the scenario created, and the expected section-5 findings per container."""

    prefix: str
    base_image: str
    hardened_image: str
    hardened: str
    expected: dict[str, frozenset[str]]
    drift: str


def run_seawall(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI as a user would (a real subprocess)."""
    return subprocess.run(
        [sys.executable, "-m", "seawall", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def audit_json(*args: str) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Run ``seawall audit --format json``, validate the report against its schema, parse it."""
    proc = run_seawall("audit", "--format", "json", *args)
    assert proc.stdout, proc.stderr
    report = json.loads(proc.stdout)
    jsonschema.validate(report, report_schema())
    return report, proc


def _free_privileged_port() -> int:
    """A host port below 1024 that nothing is bound to right now (so the run cannot collide)."""
    for port in range(873, 1024):
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free privileged port for the scenario")


@pytest.fixture(scope="session")
def scenario(engine: str) -> Iterator[Scenario]:
    """Create the containers of the issue's scenario; remove them afterwards."""
    p = PREFIX
    shared = tempfile.mkdtemp(prefix=f"{p}-shared-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "sw-shared", shared], check=True)
    subprocess.run(["mount", "--make-shared", shared], check=True)
    try:
        base = f"{p}/base:1"
        import_image(base)
        import_image(f"{p}/hardbase:1", with_sshd=False, setuid=False)
        hardened_image = f"{p}/hardened:1"
        build_image(
            hardened_image,
            f'FROM {p}/hardbase:1\nUSER 1000\nHEALTHCHECK --interval=30s CMD ["/bin/true"]\nCMD ["sleep", "3600"]\n',
        )
        docker("network", "create", f"{p}-net")
        sleep = ("sleep", "3600")
        cases: dict[str, tuple[list[str], tuple[str, ...], frozenset[str]]] = {
            "priv": (
                ["--privileged", "--user", "1000"],
                sleep,
                frozenset({"RT004", "RT005", "RT022"}),
            ),
            "hostnet": (["--network", "host"], sleep, frozenset({"RT010"})),
            "hostpid": (["--pid", "host"], sleep, frozenset({"RT016"})),
            "hostipc": (["--ipc", "host"], sleep, frozenset({"RT017"})),
            "hostuts": (["--uts", "host"], sleep, frozenset({"RT021"})),
            "caps": (
                ["--cap-add", "SYS_ADMIN", "--cap-add", "net_admin"],
                sleep,
                frozenset({"RT004"}),
            ),
            "dsock": (
                ["-v", "/var/run/docker.sock:/var/run/docker.sock"],
                sleep,
                frozenset({"RT032"}),
            ),
            "rootmnt": (["-v", "/:/host"], sleep, frozenset({"RT006", "RT032"})),
            "etcro": (["-v", "/etc:/host-etc:ro"], sleep, frozenset({"RT006"})),
            "port": (
                ["-p", f"{_free_privileged_port()}:8080"],
                sleep,
                frozenset({"RT008", "RT014"}),
            ),
            "seccomp": (["--security-opt", "seccomp=unconfined"], sleep, frozenset({"RT022"})),
            "restart": (["--restart", "always"], sleep, frozenset({"RT015"})),
            "shared": (
                ["--mount", f"type=bind,src={shared},dst=/mnt,bind-propagation=rshared"],
                sleep,
                frozenset({"RT020"}),
            ),
            "devices": (["--device", "/dev/null:/dev/xnull"], sleep, frozenset({"RT018"})),
            "sshd": ([], ("/usr/sbin/sshd",), frozenset({"RT007"})),
            "exec": ([], sleep, frozenset({"RT024"})),
        }
        expected: dict[str, frozenset[str]] = {}
        for key, (args, cmd, rules) in cases.items():
            name = f"{p}-{key}"
            docker("run", "-d", "--name", name, *args, base, *cmd)
            expected[name] = rules
        # dockerd keeps exec records only while the exec runs; a privileged exec cannot start on
        # this kind of VM ("unable to apply caps"), so RT023 is covered by fixtures only.
        docker("exec", "-d", f"{p}-exec", "sleep", "3600")
        created = f"{p}-created"
        docker("create", "--name", created, "--pid", "host", base, *sleep)
        expected[created] = frozenset({"RT016"})
        drift = f"{p}-drift"
        docker(
            "run", "-d", "--name", drift, base, "sh", "-c", "touch /tmp/new; rm /bin/ls; sleep 3600"
        )
        expected[drift] = frozenset()
        hardened = f"{p}-hardened"
        docker(
            "run",
            "-d",
            "--name",
            hardened,
            "--network",
            f"{p}-net",
            "--read-only",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--memory",
            "64m",
            "--cpus",
            "0.5",
            "--pids-limit",
            "64",
            "--restart",
            "on-failure:5",
            hardened_image,
        )
        yield Scenario(p, base, hardened_image, hardened, expected, drift)
    finally:
        remove_prefixed(p)
        subprocess.run(["umount", shared], check=False)
        Path(shared).rmdir()
