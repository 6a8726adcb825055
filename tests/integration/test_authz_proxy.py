"""The socket proxy in front of the real engine, used by real unix users with the real docker CLI.

Three users created for the test, none in the docker group (checked: the engine socket refuses
them), are bound to the shipped example roles: developer, read-only and admin. The proxy runs
as a subprocess (``seawall authz proxy``), its socket owned by a group the three share. The
docker CLI and the docker SDK then run as those users, through the proxy only: hardened runs
work, privileged / host bind / host network runs are denied with the policy's message, and
the streaming and hijacked calls (attach with stdin, TTY attach, exec with and without TTY,
``logs -f``, ``events``, build, save and load) behave as they do on the engine's own socket.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.support.engine import docker, import_image, remove_prefixed
from tests.support.unixusers import UnixUser, unix_users

PREFIX = f"swpx{os.getpid() % 100000}"
IMAGE = f"127.0.0.1:5000/{PREFIX}/base:1"  # the developer role's allowed registry, never pulled
BUILT = f"127.0.0.1:5000/{PREFIX}/built:1"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
HARDENED = ("--network", "none", "--user", "1000", "--memory", "64m", "--pids-limit", "64")

pytestmark = pytest.mark.docker


@dataclass(frozen=True)
class Env:
    """The running proxy and the users calling it."""

    socket: str
    log: Path
    dev: UnixUser
    ro: UnixUser
    adm: UnixUser

    def docker(
        self, user: UnixUser, *args: str, input_bytes: bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[bytes]:
        """The docker CLI as ``user``, through the proxy."""
        return user.run(
            "docker",
            "-H",
            f"unix://{self.socket}",
            *args,
            env={"DOCKER_BUILDKIT": "0"},
            input_bytes=input_bytes,
            timeout=timeout,
        )

    def argv(self, user: UnixUser, *args: str) -> list[str]:
        """The command line of the docker CLI as ``user`` through the proxy."""
        return user.argv("docker", "-H", f"unix://{self.socket}", *args)


def _policy(users: dict[str, UnixUser]) -> str:
    """The shipped example roles, bound to the test users."""
    roles: dict[str, object] = {}
    for name in ("developer", "read-only", "admin"):
        roles.update(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())["roles"])
    bindings = [
        {"role": "developer", "users": [users["dev"].name]},
        {"role": "read-only", "users": [users["ro"].name]},
        {"role": "admin", "users": [users["adm"].name]},
    ]
    return yaml.safe_dump({"version": 1, "roles": roles, "bindings": bindings})


def _wait_ready(proc: subprocess.Popen[bytes], path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the proxy exited with {proc.returncode}")
        if os.path.exists(path):
            return
        time.sleep(0.1)
    raise RuntimeError("the proxy did not start within 30 s")


@pytest.fixture(scope="module")
def env(engine: str) -> Iterator[Env]:
    """Users, image, policy and a running proxy; everything removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-"))
    sock = f"/tmp/{PREFIX}-run/docker.sock"
    proc: subprocess.Popen[bytes] | None = None
    try:
        import_image(IMAGE, with_sshd=False, setuid=False)
        with unix_users(PREFIX, ["dev", "ro", "adm"], group="g") as users:
            policy = work / "policy.yaml"
            policy.write_text(_policy(users))
            log = work / "decisions.log"
            argv = [sys.executable, "-m", "seawall", "authz", "proxy", "--policy", str(policy)]
            argv += ["--listen", f"unix://{sock}", "--upstream", engine, "--log", str(log)]
            argv += ["--socket-group", f"{PREFIX}g"]
            with (work / "proxy.stderr").open("wb") as stderr:
                proc = subprocess.Popen(argv, stderr=stderr)
            _wait_ready(proc, sock)
            yield Env(sock, log, users["dev"], users["ro"], users["adm"])
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        remove_prefixed(PREFIX)
        docker("rmi", "-f", IMAGE, BUILT, check=False)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.dirname(sock), ignore_errors=True)


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode(errors="replace")


def test_users_cannot_reach_the_engine_socket_directly(env: Env) -> None:
    for user in (env.dev, env.ro, env.adm):
        proc = user.run("docker", "-H", "unix:///var/run/docker.sock", "version")
        assert proc.returncode != 0 and "permission denied" in _err(proc)
    assert os.stat(env.socket).st_mode & 0o777 == 0o660


def test_developer_runs_hardened_and_is_denied_the_rest(env: Env) -> None:
    ok = env.docker(env.dev, "run", "--rm", *HARDENED, IMAGE, "echo", "hello")
    assert ok.returncode == 0, _err(ok)
    assert ok.stdout == b"hello\n"
    for i, extra in enumerate(
        (["--privileged"], ["-v", "/etc:/host-etc:ro"], ["--network", "host"], ["--user", "0"])
    ):
        args = [*HARDENED, *extra]
        if "host" in extra:
            args = [a for a in args if a != "none" and a != "--network"] + extra
        name = f"{PREFIX}-denied{i}"
        proc = env.docker(env.dev, "run", "--rm", "--name", name, *args, IMAGE, "true")
        assert proc.returncode != 0
        assert "Error response from daemon: seawall: denied (developer/" in _err(proc), extra
        assert docker("ps", "-aq", "--filter", f"name=^/{name}$") == ""
    denied = env.docker(env.dev, "load", input_bytes=b"not a tar")
    assert "seawall: denied (default-deny)" in _err(denied)


def test_attach_with_stdin_and_half_close(env: Env) -> None:
    proc = env.docker(
        env.dev, "run", "-i", "--rm", *HARDENED, IMAGE, "cat", input_bytes=b"ping\npong\n"
    )
    assert proc.returncode == 0, _err(proc)
    assert proc.stdout == b"ping\npong\n"


def _pty(argv: list[str], send: list[bytes], expect: bytes, timeout: float = 60) -> bytes:
    """Run ``argv`` on a new pseudo-terminal, type ``send`` line by line, read until ``expect``."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + timeout
    next_send = time.monotonic() + 1.5
    try:
        while expect not in out and time.monotonic() < deadline:
            if send and time.monotonic() >= next_send:
                os.write(master, send.pop(0))
                next_send = time.monotonic() + 0.5
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break  # the terminal closed: the program ended
                if not data:
                    break
                out += data
        for line in send:
            os.write(master, line)
        proc.wait(30)
    finally:
        _stop(proc)
        os.close(master)
    return bytes(out)


def test_tty_attach(env: Env) -> None:
    out = _pty(
        env.argv(
            env.dev, "run", "-it", "--rm", *HARDENED, IMAGE, "sh", "-c", "read x; echo got-$x"
        ),
        [b"abc\r"],
        b"got-abc",
    )
    assert b"got-abc" in out, out


def test_exec_with_and_without_tty(env: Env) -> None:
    box = f"{PREFIX}-devbox"
    run = env.docker(env.dev, "run", "-d", "--name", box, *HARDENED, IMAGE, "sleep", "300")
    assert run.returncode == 0, _err(run)
    labels = json.loads(docker("inspect", "-f", "{{json .Config.Labels}}", box))
    assert labels["io.seawall.owner"] == env.dev.name  # set by the proxy, not by the caller
    plain = env.docker(env.dev, "exec", box, "echo", "exec-ok")
    assert plain.stdout == b"exec-ok\n", _err(plain)
    piped = env.docker(env.dev, "exec", "-i", box, "cat", input_bytes=b"through stdin\n")
    assert piped.stdout == b"through stdin\n", _err(piped)
    out = _pty(
        env.argv(env.dev, "exec", "-it", box, "sh"),
        [b"echo tty-$(tty)\r", b"exit\r"],
        b"tty-/dev/pts/",
    )
    assert b"tty-/dev/pts/" in out, out
    root = env.docker(env.dev, "exec", "-u", "0", box, "id")
    assert root.returncode != 0 and "seawall: denied (developer/operate-own)" in _err(root)
    ro = env.docker(env.ro, "exec", box, "true")
    assert "seawall: denied (default-deny)" in _err(ro)
    # the read-only user may look, and the developer may not touch the admin's container
    assert env.docker(env.ro, "ps", "--filter", f"name={box}").stdout.count(b"\n") == 2
    adm_box = f"{PREFIX}-admbox"
    assert (
        env.docker(
            env.adm, "run", "-d", "--name", adm_box, "--network", "none", IMAGE, "sleep", "300"
        ).returncode
        == 0
    )
    stop = env.docker(env.dev, "stop", "-t", "0", adm_box)
    assert "seawall: denied (developer/operate-own)" in _err(stop)
    assert "not owned by" in _err(stop)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill a client started in its own session: runuser and the docker CLI it forked."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "no line in time"
    return proc.stdout.readline()


def test_logs_follow_streams(env: Env) -> None:
    name = f"{PREFIX}-logger"
    run = env.docker(
        env.dev,
        "run",
        "-d",
        "--name",
        name,
        *HARDENED,
        IMAGE,
        "sh",
        "-c",
        "echo one; sleep 3; echo two; sleep 300",
    )
    assert run.returncode == 0, _err(run)
    follow = subprocess.Popen(
        env.argv(env.dev, "logs", "-f", name), stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert _read_line(follow, 30) == b"one\n"
        first = time.monotonic()
        assert _read_line(follow, 30) == b"two\n"
        assert time.monotonic() - first > 1.5  # "one" came long before the stream had more
        assert follow.poll() is None
    finally:
        _stop(follow)


def test_events_stream(env: Env) -> None:
    name = f"{PREFIX}-ev"
    events = subprocess.Popen(
        env.argv(env.ro, "events", "--filter", f"container={name}", "--format", "{{.Action}}"),
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        time.sleep(2)  # subscribed before anything happens
        run = env.docker(env.dev, "run", "--rm", "--name", name, *HARDENED, IMAGE, "true")
        assert run.returncode == 0, _err(run)
        assert _read_line(events, 30) == b"create\n"
        assert events.poll() is None  # the first event arrived while the stream is open
    finally:
        _stop(events)


def test_build_save_load_as_admin(env: Env) -> None:
    ctx = Path(env.adm.home) / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(f"FROM {IMAGE}\nCOPY f /f\n")
    (ctx / "f").write_text("data\n")
    os.chown(ctx, env.adm.uid, env.adm.gid)
    build = env.docker(env.adm, "build", "--network", "none", "-q", "-t", BUILT, str(ctx))
    assert build.returncode == 0, _err(build)
    tar = Path(env.adm.home) / "img.tar"
    save = env.docker(env.adm, "save", "-o", str(tar), BUILT)
    assert save.returncode == 0, _err(save)
    assert tar.stat().st_size > 1_000_000
    docker("rmi", BUILT)
    load = env.docker(env.adm, "load", "-i", str(tar))
    assert load.returncode == 0, _err(load)
    assert f"Loaded image: {BUILT}" in load.stdout.decode()
    assert docker("image", "inspect", "-f", "{{.Id}}", BUILT).startswith("sha256:")
    dev_build = env.docker(env.dev, "build", "-q", "-t", BUILT, str(ctx))
    assert "seawall: denied" in _err(dev_build)


# The interpreter lives under /root (0700), so the script starts as root, imports the SDK and
# then becomes the user for good (all uids and gids) before it opens any connection: the proxy
# sees the user's credentials, exactly as for a process the user started.
SDK = """
import json, os, sys, docker
uid, gid = int(sys.argv[3]), int(sys.argv[4])
os.initgroups(sys.argv[5], gid); os.setresgid(gid, gid, gid); os.setresuid(uid, uid, uid)
assert os.getuid() == uid and os.geteuid() == uid
c = docker.DockerClient(base_url="unix://" + sys.argv[1])
out = {"api": c.version()["ApiVersion"]}
out["run"] = c.containers.run(sys.argv[2], "echo sdk", user="1000", mem_limit="64m",
                              pids_limit=64, network_mode="none", remove=True).decode()
try:
    c.containers.run(sys.argv[2], "true", privileged=True, network_mode="none", remove=True)
except docker.errors.APIError as exc:
    out["denied"] = [exc.status_code, exc.explanation]
print(json.dumps(out))
"""


def test_docker_sdk_as_a_user(env: Env) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            SDK,
            env.socket,
            IMAGE,
            str(env.dev.uid),
            str(env.dev.gid),
            env.dev.name,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, _err(proc)
    out = json.loads(proc.stdout)
    assert out["api"] == "1.41" and out["run"] == "sdk\n"
    status, message = out["denied"]
    assert status == 403 and message.startswith("seawall: denied (developer/run-hardened)")


def test_decisions_are_logged(env: Env) -> None:
    lines = [json.loads(line) for line in env.log.read_text().splitlines()]
    denied = [e for e in lines if e["subject"] == env.dev.name and e["decision"] == "deny"]
    assert any(
        e["rule"] == "developer/run-hardened" and "privileged" in e["reason"] for e in denied
    )
    assert all(e["uid"] is not None and e["pid"] for e in lines if e["subject_kind"] == "user")


def test_cp_into_a_container_is_granted_whole(env: Env) -> None:
    box = f"{PREFIX}-cpbox"
    run = env.docker(
        env.adm, "run", "-d", "--name", box, "--network", "none", IMAGE, "sleep", "300"
    )
    assert run.returncode == 0, _err(run)
    src = Path(env.adm.home) / "payload.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024))  # larger than any JSON body the proxy reads
    os.chown(src, env.adm.uid, env.adm.gid)
    put = env.docker(env.adm, "cp", str(src), f"{box}:/tmp/payload.bin")
    assert put.returncode == 0, _err(put)
    back = Path(env.adm.home) / "back"
    back.mkdir()
    os.chown(back, env.adm.uid, env.adm.gid)
    get = env.docker(env.adm, "cp", f"{box}:/tmp/payload.bin", str(back))
    assert get.returncode == 0, _err(get)
    assert (back / "payload.bin").read_bytes() == src.read_bytes()
    denied = env.docker(env.dev, "cp", str(src), f"{box}:/tmp/other.bin")
    assert "seawall: denied" in _err(denied)


def test_an_existing_bind_volume_is_judged_as_the_host_path_it_binds(env: Env) -> None:
    """A volume made earlier with ``o=bind,device=/etc`` is /etc, whatever the run asks."""
    etc, plain = f"{PREFIX}-etcvol", f"{PREFIX}-plainvol"
    docker("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=/etc", etc)
    docker("volume", "create", plain)
    try:
        denied = env.docker(env.dev, "run", "--rm", *HARDENED, "-v", f"{etc}:/x", IMAGE, "true")
        assert denied.returncode != 0
        assert f"existing volume '{etc}'" in _err(denied) and "volume_options" in _err(denied)
        mount = f"type=volume,source={etc},target=/x"
        denied = env.docker(env.dev, "run", "--rm", *HARDENED, "--mount", mount, IMAGE, "true")
        assert f"existing volume '{etc}'" in _err(denied)
        ok = env.docker(env.dev, "run", "--rm", *HARDENED, "-v", f"{plain}:/x", IMAGE, "true")
        assert ok.returncode == 0, _err(ok)
    finally:
        docker("volume", "rm", "-f", etc, plain, check=False)


def test_pulls_only_from_the_allowed_registry(env: Env) -> None:
    """127.0.0.1:5000 is allowed (no registry listens there: the engine's own error comes back),
    localhost:5001 is denied by seawall before the engine sees it. Both are loopback, so nothing
    leaves the machine even if a decision were wrong."""
    allowed = env.docker(env.dev, "pull", f"127.0.0.1:5000/{PREFIX}/absent:1")
    assert allowed.returncode != 0 and "seawall: denied" not in _err(allowed)
    for ref in (
        f"localhost:5001/{PREFIX}/app:1",
        f"127.0.0.1:5001/{PREFIX}/app:1",
        f"localhost:5000/{PREFIX}/app:1",  # same port, another spelling of the host: denied
        f"127.0.0.1:5001/{PREFIX}/app@sha256:{'0' * 64}",
    ):
        denied = env.docker(env.dev, "pull", ref)
        assert "seawall: denied (developer/pull-allowed): registries" in _err(denied), ref
        run = env.docker(env.dev, "run", "--rm", *HARDENED, ref, "true")
        assert "seawall: denied (developer/run-hardened): registries" in _err(run), ref
