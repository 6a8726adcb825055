"""A second, throwaway dockerd for tests, isolated from the machine's own engine.

It gets its own ``--data-root``, ``--exec-root`` (and so its own managed containerd),
``--pidfile``, unix socket, and optionally a TCP listener on 127.0.0.1 (plain, or TLS with
client verification from ``tests.support.tlscerts``). Networking: ``--iptables=false`` and its
OWN bridge, created here with ``ip link add`` on a /24 no route on the host uses yet. Never
``--bridge=none``: measured on this machine, a second daemon started that way deletes the first
daemon's ``docker0``. Containers in it should use ``--network none`` anyway.

It is stopped by PID (SIGTERM, then a wait, then SIGKILL), and its bridge, mounts and
directories are removed afterwards. ``import_busybox`` puts the busybox test image into it
(the root filesystem comes from ``tests.support.engine``; its ``docker()`` helper talks to the
main engine, so this module runs the CLI itself with ``-H``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tests.support.engine import rootfs_tar
from tests.support.tlscerts import TlsSet

DOCKER = shutil.which("docker") or "/usr/local/bin/docker"
_counter = iter(range(1, 1_000_000))
_ROUTE_TYPES = frozenset(
    {
        "unicast",
        "local",
        "broadcast",
        "multicast",
        "unreachable",
        "blackhole",
        "prohibit",
        "throw",
        "anycast",
        "nat",
    }
)


@dataclass
class Daemon2:
    """A running second dockerd and how to reach it."""

    root: Path
    proc: subprocess.Popen[bytes]
    sock: Path
    bridge: str
    subnet: str
    port: int | None = None
    tls: TlsSet | None = None
    log_path: Path = field(default_factory=Path)
    _stopped: bool = False

    @property
    def pid(self) -> int:
        """The dockerd process ID."""
        return self.proc.pid

    @property
    def unix_host(self) -> str:
        """``unix://`` endpoint of the daemon's socket."""
        return f"unix://{self.sock}"

    @property
    def tcp_host(self) -> str:
        """``tcp://127.0.0.1:PORT`` endpoint (only when started with a TCP listener)."""
        if self.port is None:
            raise RuntimeError("this daemon has no TCP listener")
        return f"tcp://127.0.0.1:{self.port}"

    def cli_args(self, as_cn: str | None = None) -> list[str]:
        """Global ``docker`` flags: the unix socket, or TLS TCP as client certificate ``as_cn``."""
        if as_cn is None:
            return ["-H", self.unix_host]
        if self.tls is None:
            raise RuntimeError("this daemon has no TLS listener")
        return ["-H", self.tcp_host, *self.tls.client_args(as_cn)]

    def cli(
        self,
        *args: str,
        as_cn: str | None = None,
        input_bytes: bytes | None = None,
        timeout: float = 120,
        config_dir: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run the docker CLI against this daemon; never raises on a non-zero exit.

        ``config_dir`` is the CLI's ``DOCKER_CONFIG`` (e.g. a config.json with ``HttpHeaders``);
        by default a private empty one, so no credential helper or context of the machine's
        user applies.
        """
        config = config_dir if config_dir is not None else self.root / "cli-config"
        env = {**os.environ, "DOCKER_CONFIG": str(config)}
        env.pop("DOCKER_HOST", None)
        env.pop("DOCKER_CONTEXT", None)
        proc = subprocess.run(
            [DOCKER, *self.cli_args(as_cn), *args],
            input=input_bytes,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        return subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"),
        )

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the daemon's log, for failure messages."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the daemon by PID, then remove its bridge, mounts and directories."""
        if self._stopped:
            return
        self._stopped = True
        containerd_pid = _read_pid(self.root / "exec" / "containerd" / "containerd.pid")
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if containerd_pid is not None and _is_ours(containerd_pid, self.root):
            # Normally dockerd stops its managed containerd; after a SIGKILL it may not have.
            with contextlib.suppress(ProcessLookupError):
                os.kill(containerd_pid, signal.SIGTERM)
        subprocess.run(["ip", "link", "del", self.bridge], check=False, capture_output=True)
        for sub in ("exec", "data"):
            subprocess.run(["umount", "-R", str(self.root / sub)], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_ours(pid: int, root: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return str(root).encode() in cmdline


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _used_networks() -> list[ipaddress.IPv4Network]:
    out = subprocess.run(
        ["ip", "-4", "-o", "route", "show", "table", "all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    nets = []
    for line in out.splitlines():
        words = line.split()
        if words and words[0] in _ROUTE_TYPES:
            words = words[1:]
        if not words or words[0] == "default":
            continue
        with contextlib.suppress(ValueError):
            nets.append(ipaddress.IPv4Network(words[0], strict=False))
    return nets


def pick_subnet() -> ipaddress.IPv4Network:
    """A /24 no host route overlaps: TEST-NET-2/3 first, then 10.214.x.0/24 (PID-spread)."""
    used = _used_networks()
    start = os.getpid() % 250
    candidates = [
        ipaddress.IPv4Network("198.51.100.0/24"),
        ipaddress.IPv4Network("203.0.113.0/24"),
        *(ipaddress.IPv4Network(f"10.214.{(start + i) % 250}.0/24") for i in range(250)),
    ]
    for net in candidates:
        if not any(net.overlaps(u) for u in used):
            return net
    raise RuntimeError("no free /24 for the test daemon's bridge")


def _create_bridge() -> tuple[str, str]:
    name = f"sw{os.getpid() % 100000}d{next(_counter)}"[:15]
    subprocess.run(["ip", "link", "del", name], check=False, capture_output=True)
    net = pick_subnet()
    subprocess.run(["ip", "link", "add", name, "type", "bridge"], check=True)
    try:
        subprocess.run(
            ["ip", "addr", "add", f"{net.network_address + 1}/{net.prefixlen}", "dev", name],
            check=True,
        )
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
    except subprocess.CalledProcessError:
        subprocess.run(["ip", "link", "del", name], check=False)
        raise
    return name, str(net)


def _answers(sock: Path, timeout: float = 2.0) -> bool:
    """True once the daemon answers HTTP on its unix socket (any status: a plugin may deny)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(sock))
            s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.")
    except OSError:
        return False


def _tcp_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def start_daemon(
    *,
    prefix: str = "swd2",
    tcp: Literal["none", "plain", "tls"] = "none",
    tls: TlsSet | None = None,
    authz_plugins: Sequence[str] = (),
    extra_args: Sequence[str] = (),
    timeout: float = 90,
) -> Daemon2:
    """Start a second dockerd and wait until it answers; the caller must ``stop()`` it."""
    if tcp == "tls" and tls is None:
        raise ValueError("a TLS listener needs a TlsSet")
    # Short paths: containerd's sockets under the exec root must fit a unix socket address.
    root = Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir="/tmp"))
    sock = root / "docker.sock"
    (root / "cli-config").mkdir()
    bridge, subnet = _create_bridge()
    port = free_port() if tcp != "none" else None
    args = [
        "dockerd",
        "--data-root",
        str(root / "data"),
        "--exec-root",
        str(root / "exec"),
        "--pidfile",
        str(root / "docker.pid"),
        "-H",
        f"unix://{sock}",
        "--iptables=false",
        "--bridge",
        bridge,
    ]
    if port is not None:
        args += ["-H", f"tcp://127.0.0.1:{port}"]
    if tcp == "tls" and tls is not None:
        args += [
            "--tlsverify",
            "--tlscacert",
            str(tls.ca),
            "--tlscert",
            str(tls.server.cert),
            "--tlskey",
            str(tls.server.key),
        ]
    for plugin in authz_plugins:
        args += ["--authorization-plugin", plugin]
    args += list(extra_args)
    log_path = root / "dockerd.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    daemon = Daemon2(root, proc, sock, bridge, subnet, port, tls, log_path)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"second dockerd exited: {daemon.log_tail()}")
            if _answers(sock) and (port is None or _tcp_open(port)):
                return daemon
            time.sleep(0.3)
        raise RuntimeError(f"second dockerd did not answer in {timeout} s: {daemon.log_tail()}")
    except BaseException:
        daemon.stop()
        raise


def import_busybox(daemon: Daemon2, tag: str, *, as_cn: str | None = None) -> str:
    """``docker import`` the busybox test root filesystem into ``daemon`` as ``tag``; its ID."""
    proc = daemon.cli(
        "import",
        "-c",
        'CMD ["/bin/sh"]',
        "-",
        tag,
        as_cn=as_cn,
        input_bytes=rootfs_tar(with_sshd=False, setuid=False),
    )
    if proc.returncode != 0:
        raise RuntimeError(f"docker import {tag}: {proc.stderr.strip()}")
    inspect = daemon.cli("image", "inspect", "-f", "{{.Id}}", tag, as_cn=as_cn)
    if inspect.returncode != 0:
        raise RuntimeError(f"docker image inspect {tag}: {inspect.stderr.strip()}")
    return inspect.stdout.strip()
