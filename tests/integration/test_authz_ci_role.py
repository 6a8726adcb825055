"""The shipped ``ci`` role through the socket proxy, with the real docker CLI and a real registry.

A unix user outside the docker group is bound to ``examples/policies/ci.yaml`` (its allowed
registry rewritten to the Debian ``docker-registry`` this test starts on a free 127.0.0.1 port).
It builds with the classic builder, tags and pushes to that registry and runs a hardened test
container; it is denied tagging or pushing to another registry, BuildKit, image load and
privileged runs. Every registry here is loopback: nothing can leave the machine.
"""

from __future__ import annotations

import os
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
from tests.support.registry import RegistryProcess, start_registry
from tests.support.unixusers import UnixUser, unix_users

PREFIX = f"swci{os.getpid() % 100000}"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policies" / "ci.yaml"
HARDENED = ("--network", "none", "--user", "1000", "--memory", "64m", "--pids-limit", "64")

pytestmark = pytest.mark.docker


@dataclass(frozen=True)
class Env:
    """The registry, the proxy socket and the ci user."""

    registry: str
    socket: str
    user: UnixUser

    def docker(
        self, *args: str, input_bytes: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """The docker CLI as the ci user, through the proxy (classic builder)."""
        return self.user.run(
            "docker",
            "-H",
            f"unix://{self.socket}",
            *args,
            env={"DOCKER_BUILDKIT": "0"},
            input_bytes=input_bytes,
            timeout=180,
        )


@pytest.fixture(scope="module")
def env(engine: str) -> Iterator[Env]:
    """Registry, base image, ci user, policy and a running proxy; all removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-"))
    sock = f"/tmp/{PREFIX}-run/docker.sock"
    registry: RegistryProcess | None = None
    proc: subprocess.Popen[bytes] | None = None
    try:
        (work / "storage").mkdir()
        registry = start_registry(work, work / "storage", "ci")
        import_image(f"{registry.host}/{PREFIX}/base:1", with_sshd=False, setuid=False)
        with unix_users(PREFIX, ["ci"], group="g") as users:
            policy = yaml.safe_load(EXAMPLE.read_text().replace("127.0.0.1:5000", registry.host))
            policy["bindings"] = [{"role": "ci", "users": [users["ci"].name]}]
            (work / "policy.yaml").write_text(yaml.safe_dump(policy))
            argv = [sys.executable, "-m", "seawall", "authz", "proxy"]
            argv += ["--policy", str(work / "policy.yaml"), "--listen", f"unix://{sock}"]
            argv += ["--upstream", engine, "--socket-group", f"{PREFIX}g"]
            with (work / "proxy.stderr").open("wb") as stderr:
                proc = subprocess.Popen(argv, stderr=stderr)
            deadline = time.monotonic() + 30
            while not os.path.exists(sock):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((work / "proxy.stderr").read_text()[-2000:])
                time.sleep(0.1)
            yield Env(registry.host, sock, users["ci"])
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
        if registry is not None:
            for tag in ("base:1", "app:1"):
                docker("rmi", "-f", f"{registry.host}/{PREFIX}/{tag}", check=False)
            registry.stop()
        remove_prefixed(PREFIX)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.dirname(sock), ignore_errors=True)


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode(errors="replace")


def test_build_tag_push_and_run_hardened(env: Env) -> None:
    app = f"{env.registry}/{PREFIX}/app:1"
    context = Path(env.user.home) / "ctx"  # the user's own files: pytest's tmp is root-only
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM {env.registry}/{PREFIX}/base:1\nUSER 1000\n")
    for p in (context, context / "Dockerfile"):
        os.chown(p, env.user.uid, env.user.gid)
    built = env.docker("build", "-t", app, str(context))
    assert built.returncode == 0, _err(built)
    pushed = env.docker("push", app)
    assert pushed.returncode == 0, _err(pushed)
    ran = env.docker("run", "--rm", *HARDENED, app, "echo", "tested")
    assert ran.returncode == 0 and ran.stdout == b"tested\n", _err(ran)


def test_other_registries_buildkit_load_and_privilege_are_denied(env: Env) -> None:
    base = f"{env.registry}/{PREFIX}/base:1"
    other = f"localhost:5001/{PREFIX}/app:1"
    tagged = env.docker("tag", base, other)
    assert "seawall: denied (ci/pull-push): registries" in _err(tagged)
    pushed = env.docker("push", other)
    assert "seawall: denied (ci/pull-push): registries" in _err(pushed)
    privileged = env.docker("run", "--rm", *HARDENED, "--privileged", base, "true")
    assert "seawall: denied (ci/test-run): privileged" in _err(privileged)
    loaded = env.docker("load", input_bytes=b"not a tar")
    assert "seawall: denied (default-deny)" in _err(loaded)
    buildkit = env.user.run(
        "curl", "-s", "--unix-socket", env.socket, "-X", "POST",
        "http://docker/v1.41/build?version=2&session=x", "-H", "Content-Type: application/x-tar",
        "--data-binary", "@/dev/null",
    )  # fmt: skip
    assert b"seawall: denied (default-deny)" in buildkit.stdout
    assert b"image.build.buildkit" in buildkit.stdout
