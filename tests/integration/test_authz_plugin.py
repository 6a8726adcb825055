"""``seawall authz plugin`` in front of a real dockerd, driven by the real docker CLI and curl.

A second dockerd (tests/support/daemon2.py) runs with ``--authorization-plugin`` naming a
plugin started first with ``seawall authz plugin``. Callers: TLS client certificates
``CN=dev-alice`` (a developer role adapted to the plugin), ``CN=dev-bob`` (the shipped
developer example, unchanged), ``CN=ops-admin`` (admin), a service token sent by the CLI through
``HttpHeaders``, and the unix socket (anonymous -> read-only). Every deny must carry the
plugin's message in the CLI's stderr; the decision log must record the calls.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.daemon2 import Daemon2, import_busybox, start_daemon
from tests.support.tlscerts import make_tls

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "policies"
PREFIX = f"swpl{os.getpid()}"
PLUGIN = f"swtest{os.getpid()}"
IMAGE = f"127.0.0.1:5000/{PREFIX}/busybox:1"  # the developer role's allowed registry; never pulled
TOKEN = f"test-token-{os.getpid()}"
ALICE, BOB, ADMIN = "dev-alice", "dev-bob", "ops-admin"
HARDENED = ("--network", "none", "--user", "1000:1000", "--memory", "64m", "--pids-limit", "64")


def _example_role(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    return dict(doc["roles"][name])


def _policy(log: Path) -> dict[str, Any]:
    """The shipped admin, developer and read-only roles, plus a plugin variant of developer.

    The shipped developer role limits operations on existing containers to the caller's own
    (``scope: owned``), which only the proxy can verify: under the plugin those calls deny.
    ``developer-plugin`` grants them on all containers (still non-root only) and may create
    volumes (without driver options), so the run/exec/volume checks below have an allowed twin.
    """
    developer = _example_role("developer")
    variant = json.loads(json.dumps(developer))
    for rule in variant["rules"]:
        if rule.get("scope") == "owned":
            rule["scope"] = "all"
    variant["rules"].append({"name": "volumes", "actions": ["volume.create"]})
    variant["description"] = "developer, with operations on all containers (plugin edge)"
    return {
        "version": 1,
        "tokens": {"ci-runner": {"sha256": hashlib.sha256(TOKEN.encode()).hexdigest()}},
        "log": {"path": str(log)},
        "roles": {
            "admin": _example_role("admin"),
            "developer": developer,
            "developer-plugin": variant,
            "read-only": _example_role("read-only"),
        },
        "bindings": [
            {"role": "admin", "certs": [ADMIN]},
            {"role": "developer", "certs": [BOB]},
            {"role": "developer-plugin", "certs": [ALICE], "tokens": ["ci-runner"]},
            {"role": "read-only", "anonymous": True},
        ],
    }


@dataclass
class Setup:
    """The running daemon and plugin, and where things are."""

    daemon: Daemon2
    log: Path
    plugin_pid: int
    tmp: Path
    token_config: Path
    bad_token_config: Path


def _wait_for_socket(path: str, proc: subprocess.Popen[bytes], err: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"seawall authz plugin exited: {err.read_text()[-2000:]}")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(path)
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"seawall authz plugin did not listen on {path}: {err.read_text()[-2000:]}")


def _stop_pid(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _headers_config(directory: Path, token: str) -> Path:
    directory.mkdir()
    (directory / "config.json").write_text(json.dumps({"HttpHeaders": {"X-Seawall-Token": token}}))
    return directory


@pytest.fixture(scope="module")
def setup(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    tmp = tmp_path_factory.mktemp("authz-plugin")
    tls = make_tls(tmp / "tls", [ALICE, BOB, ADMIN])
    log = tmp / "decisions.jsonl"
    policy = tmp / "policy.yaml"
    policy.write_text(yaml.safe_dump(_policy(log), sort_keys=False))
    socket_path = f"/run/docker/plugins/{PLUGIN}.sock"
    err = tmp / "plugin.stderr"
    with err.open("wb") as stderr:
        plugin = subprocess.Popen(
            [sys.executable, "-m", "seawall", "authz", "plugin", "--policy", str(policy),
             "--name", PLUGIN, "--log", str(log)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
    daemon: Daemon2 | None = None
    try:
        _wait_for_socket(socket_path, plugin, err)
        daemon = start_daemon(prefix=PREFIX, tcp="tls", tls=tls, authz_plugins=[PLUGIN])
        import_busybox(daemon, IMAGE, as_cn=ADMIN)
        yield Setup(
            daemon,
            log,
            plugin.pid,
            tmp,
            _headers_config(tmp / "token-cli", TOKEN),
            _headers_config(tmp / "bad-token-cli", "not-the-token"),
        )
    finally:
        if daemon is not None:
            ids = daemon.cli("ps", "-aq", as_cn=ADMIN).stdout.split()
            if ids:
                daemon.cli("rm", "-f", *ids, as_cn=ADMIN)
            daemon.stop()
        _stop_pid(plugin)
        left_socket = os.path.exists(socket_path)
        if left_socket:
            os.unlink(socket_path)
        assert "Traceback" not in err.read_text()
        assert plugin.returncode == 0, err.read_text()  # SIGTERM: a clean stop
        assert not left_socket  # the plugin removes its socket on the way out


def _denied(proc: subprocess.CompletedProcess[str], rule: str = "") -> None:
    """The call failed with the plugin's message (and the rule, when given) in stderr."""
    assert proc.returncode != 0, proc.stdout
    assert f"authorization denied by plugin {PLUGIN}: seawall: denied (" in proc.stderr, proc.stderr
    if rule:
        assert f"seawall: denied ({rule}" in proc.stderr, proc.stderr


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _name(tag: str) -> str:
    return f"{PREFIX}-{tag}"


# --- the developer (TLS CN=dev-alice) -----------------------------------------------------


def test_developer_runs_a_hardened_container(setup: Setup) -> None:
    out = setup.daemon.cli(
        "run", "--rm", "--name", _name("run"), *HARDENED, "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", IMAGE, "id", "-u", as_cn=ALICE,
    )  # fmt: skip
    assert _ok(out) == "1000"


@pytest.mark.parametrize(
    ("tag", "flags", "why"),
    [
        ("priv", ("--privileged",), "privileged"),
        ("etc", ("-v", "/etc:/x"), "host_paths"),
        ("etcmount", ("--mount", "type=bind,source=/etc,target=/x,readonly"), "host_paths"),
        ("hostnet", ("--network", "host"), "host_namespaces"),
        ("device", ("--device", "/dev/null:/dev/xnull"), "devices"),
        ("sysadmin", ("--cap-add", "SYS_ADMIN"), "cap_add"),
        ("seccomp", ("--security-opt", "seccomp=unconfined"), "unconfined"),
        ("root", ("--user", "0"), "non_root"),
        ("nolimit", ("--memory", "0"), "require_resources"),
    ],
)
def test_developer_cannot_create_dangerous_containers(
    setup: Setup, tag: str, flags: tuple[str, ...], why: str
) -> None:
    base = list(HARDENED)
    if flags[0] == "--network":
        base = base[2:]
    if flags[0] == "--user":
        base = base[:2] + base[4:]
    out = setup.daemon.cli("create", "--name", _name(tag), *base, *flags, IMAGE, as_cn=ALICE)
    _denied(out, f"developer-plugin/run-hardened): {why}: ")
    assert _name(tag) not in setup.daemon.cli("ps", "-a", as_cn=ADMIN).stdout


def test_developer_exec_as_root_is_denied(setup: Setup) -> None:
    name = _name("exec")
    _ok(
        setup.daemon.cli("run", "-d", "--name", name, *HARDENED, IMAGE, "sleep", "600", as_cn=ALICE)
    )
    assert _ok(setup.daemon.cli("exec", "-u", "1000", name, "id", "-u", as_cn=ALICE)) == "1000"
    for user in ("root", "0", "0:0"):
        out = setup.daemon.cli("exec", "-u", user, name, "id", "-u", as_cn=ALICE)
        _denied(out, "developer-plugin/operate-own): non_root: ")
    out = setup.daemon.cli("exec", "--privileged", "-u", "1000", name, "id", as_cn=ALICE)
    _denied(out, "developer-plugin/operate-own): exec_privileged: ")
    # No -u: the exec runs as the container's user, which the plugin cannot look up.
    _denied(setup.daemon.cli("exec", name, "id", "-u", as_cn=ALICE), "developer-plugin/operate-own")
    _ok(setup.daemon.cli("rm", "-f", name, as_cn=ADMIN))


def test_bind_volume_trick_is_denied(setup: Setup) -> None:
    _ok(setup.daemon.cli("volume", "create", _name("plainvol"), as_cn=ALICE))
    out = setup.daemon.cli(
        "volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=/etc",
        _name("etcvol"), as_cn=ALICE,
    )  # fmt: skip
    _denied(out, "developer-plugin/volumes): volume_options: ")
    assert _name("etcvol") not in setup.daemon.cli("volume", "ls", as_cn=ADMIN).stdout


def _curl(setup: Setup, cn: str, method: str, uri: str, body: bytes | None) -> tuple[int, str]:
    assert setup.daemon.tls is not None
    args = ["curl", "-sS", "-X", method, *setup.daemon.tls.curl_args(cn)]
    if body is not None:
        path = setup.tmp / "body.json"
        path.write_bytes(body)
        args += ["-H", "Content-Type: application/json", "--data-binary", f"@{path}"]
    args += ["-w", "\n%{http_code}", f"https://127.0.0.1:{setup.daemon.port}{uri}"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    text, _, code = proc.stdout.rpartition("\n")
    return int(code), text


def test_body_of_one_mib_or_more_is_denied(setup: Setup) -> None:
    labels = {f"pad{i:05d}": "x" * 100 for i in range(11000)}
    body = {
        "Image": IMAGE,
        "User": "1000",
        "Labels": labels,
        "HostConfig": {
            "Privileged": True,
            "Binds": ["/etc:/host-etc"],
            "NetworkMode": "none",
            "Memory": 67108864,
            "PidsLimit": 64,
        },
    }
    raw = json.dumps(body).encode()
    assert len(raw) >= 1024 * 1024
    name = _name("huge")
    code, text = _curl(setup, ALICE, "POST", f"/v1.41/containers/create?name={name}", raw)
    assert code == 403, text
    assert "guard:body-missing" in text
    assert name not in setup.daemon.cli("ps", "-a", as_cn=ADMIN).stdout
    # The same body under 1 MiB reaches the plugin and is denied for what it asks.
    body["Labels"] = {"small": "x"}
    code, text = _curl(
        setup, ALICE, "POST", f"/v1.41/containers/create?name={name}", json.dumps(body).encode()
    )
    assert code == 403, text
    assert "developer-plugin/" in text


def test_old_api_start_with_host_config_is_denied(setup: Setup) -> None:
    name = _name("old")
    _ok(setup.daemon.cli("create", "--name", name, *HARDENED, IMAGE, "sleep", "600", as_cn=ALICE))
    body = json.dumps({"Privileged": True, "Binds": ["/etc:/host-etc:ro"]}).encode()
    for cn in (ALICE, ADMIN):  # a built-in guard: even the admin role cannot use it
        code, text = _curl(setup, cn, "POST", f"/v1.23/containers/{name}/start", body)
        assert code == 403, text
        assert "guard:api-version" in text
    inspect = json.loads(_ok(setup.daemon.cli("inspect", name, as_cn=ADMIN)))[0]
    assert inspect["State"]["Running"] is False
    assert inspect["HostConfig"]["Privileged"] is False
    _ok(setup.daemon.cli("rm", "-f", name, as_cn=ADMIN))


# --- the shipped developer example (TLS CN=dev-bob) ---------------------------------------


def test_shipped_developer_role_cannot_operate_containers_under_the_plugin(setup: Setup) -> None:
    name = _name("bob")
    _ok(setup.daemon.cli("create", "--name", name, *HARDENED, IMAGE, "true", as_cn=BOB))
    _denied(setup.daemon.cli("start", name, as_cn=BOB), "developer/operate-own")
    _ok(setup.daemon.cli("rm", "-f", name, as_cn=ADMIN))


# --- admin, anonymous, tokens -------------------------------------------------------------


def test_admin_may_do_anything(setup: Setup) -> None:
    name = _name("admin")
    _ok(
        setup.daemon.cli(
            "create", "--name", name, "--network", "none", "--privileged", IMAGE, as_cn=ADMIN
        )
    )
    _ok(setup.daemon.cli("rm", "-f", name, as_cn=ADMIN))


def test_anonymous_unix_socket_is_read_only(setup: Setup) -> None:
    d = setup.daemon
    assert "Server" in _ok(d.cli("version"))
    _ok(d.cli("ps", "-a"))
    _ok(d.cli("image", "ls"))
    _denied(d.cli("create", "--name", _name("anon"), *HARDENED, IMAGE), "default-deny")
    _denied(d.cli("volume", "create", _name("anonvol")), "default-deny")
    assert _name("anon") not in d.cli("ps", "-a", as_cn=ADMIN).stdout


def test_service_token_from_cli_http_headers(setup: Setup) -> None:
    d = setup.daemon
    name = _name("token")
    _ok(d.cli("create", "--name", name, *HARDENED, IMAGE, config_dir=setup.token_config))
    _denied(d.cli("create", "--privileged", *HARDENED, IMAGE, config_dir=setup.token_config))
    _denied(d.cli("ps", config_dir=setup.bad_token_config), "guard:token")
    _ok(d.cli("rm", "-f", name, as_cn=ADMIN))


def test_enable_through_daemon_json_and_sighup(setup: Setup) -> None:
    """The documented way to turn the plugin on: daemon.json, then SIGHUP (no restart)."""
    config = setup.tmp / "daemon.json"
    config.write_text("{}")
    daemon = start_daemon(prefix=f"{PREFIX}-hup", extra_args=("--config-file", str(config)))
    try:
        import_busybox(daemon, IMAGE)
        assert daemon.cli("create", "--network", "none", IMAGE).returncode == 0  # no plugin yet
        config.write_text(json.dumps({"authorization-plugins": [PLUGIN]}))
        os.kill(daemon.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while True:
            out = daemon.cli("create", "--network", "none", IMAGE)
            if out.returncode != 0 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        _denied(out, "default-deny")  # anonymous on the unix socket: read-only
        _ok(daemon.cli("ps", "-a"))
    finally:
        daemon.stop()


def test_decision_log_lines_are_written(setup: Setup) -> None:
    setup.daemon.cli("create", "--privileged", *HARDENED, IMAGE, as_cn=ALICE)
    setup.daemon.cli("ps", config_dir=setup.bad_token_config)
    deadline = time.monotonic() + 10
    while True:
        text = setup.log.read_text()
        lines = [json.loads(line) for line in text.splitlines()]
        if any(e["rule"] == "guard:token" for e in lines) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert {e["edge"] for e in lines} == {"plugin"}
    subjects = {(e["subject_kind"], e["subject"]) for e in lines}
    assert {("cert", ALICE), ("cert", ADMIN), ("anonymous", "local")} <= subjects
    alice = [e for e in lines if e["subject"] == ALICE]
    assert any(e["decision"] == "allow" and e["action"] == "container.create" for e in alice)
    assert any(e["decision"] == "deny" and e["rule"].startswith("developer-plugin/") for e in alice)
    assert any(e["rule"] == "guard:token" and e["decision"] == "deny" for e in lines)
    assert TOKEN not in text
    assert "not-the-token" not in text
    assert all("?" not in e["path"] for e in lines)  # never the query
    assert os.stat(setup.log).st_mode & 0o077 == 0
