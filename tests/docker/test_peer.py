"""find_daemon: SO_PEERCRED, the socket-inode scan, local TCP, and real daemons."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from seawall.docker.peer import (
    find_daemon,
    is_local_endpoint,
    rootless_config_home,
)

# ---------------------------------------------------------------- helpers


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Path]:
    """A listening unix socket owned by this test process (so the peer is python)."""
    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(4)
    try:
        yield path
    finally:
        sock.close()


def fake_proc(root: Path, procs: dict[int, tuple[str | None, list[str], list[str]]]) -> Path:
    """A fabricated /proc: ``{pid: (exe or None, argv, fd link targets)}``."""
    proc = root / "proc"
    (proc / "net").mkdir(parents=True)
    for pid, (exe, argv, fds) in procs.items():
        d = proc / str(pid)
        (d / "fd").mkdir(parents=True)
        if exe is not None:
            os.symlink(exe, d / "exe")
        (d / "cmdline").write_bytes(b"".join(a.encode() + b"\0" for a in argv))
        for n, target in enumerate(fds):
            os.symlink(target, d / "fd" / str(n))
    (proc / "self").mkdir()  # non-numeric entries are ignored
    return proc


UNIX_HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n"


def unix_line(inode: int, path: str, listening: bool = True) -> str:
    flags = "00010000" if listening else "00000000"
    return f"0000000000000000: 00000002 00000000 {flags} 0001 01 {inode} {path}\n"


# ---------------------------------------------------------------- unix sockets


def test_peer_is_not_dockerd_gives_clear_error(server: Path) -> None:
    # SO_PEERCRED names this test process (python); the real /proc inode scan finds no dockerd.
    result = find_daemon(f"unix://{server}")
    assert result.pid is None
    assert result.cmdline is None
    assert result.error is not None
    assert result.error.startswith(f"no dockerd process holds {server} (peer PID {os.getpid()} is ")
    assert "python" in result.error


def test_inode_scan_picks_the_dockerd_holding_the_socket(tmp_path: Path, server: Path) -> None:
    proc = fake_proc(
        tmp_path,
        {
            1: ("/usr/lib/systemd/systemd", ["/sbin/init"], ["socket:[777]", "/dev/null"]),
            100: ("/usr/bin/containerd", ["containerd"], ["socket:[777]"]),
            200: (
                "/usr/bin/dockerd",
                ["/usr/bin/dockerd", "-H", "fd://"],
                ["pipe:[5]", "socket:[777]"],
            ),
            300: (
                "/usr/bin/dockerd",
                ["/usr/bin/dockerd", "-H", "unix:///other.sock"],
                ["socket:[888]"],
            ),
        },
    )
    (proc / "net" / "unix").write_text(
        UNIX_HEADER
        + unix_line(777, str(server))
        + unix_line(778, str(server), listening=False)  # a connection, not the listener
        + unix_line(888, "/other.sock")
    )
    result = find_daemon(f"unix://{server}", proc_root=str(proc))
    assert result.error is None
    assert result.pid == 200
    assert result.discovery == "socket inode"
    assert result.exe == "/usr/bin/dockerd"
    assert result.cmdline == ("/usr/bin/dockerd", "-H", "fd://")


def test_inode_scan_without_a_reachable_socket(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, {200: ("/usr/bin/dockerd (deleted)", ["dockerd"], ["socket:[5]"])})
    (proc / "net" / "unix").write_text(UNIX_HEADER + unix_line(5, "/gone/docker.sock"))
    result = find_daemon("unix:///gone/docker.sock", proc_root=str(proc))
    assert (result.pid, result.exe) == (200, "/usr/bin/dockerd")


def test_symlinked_directory_matches_bound_path(tmp_path: Path, server: Path) -> None:
    link = tmp_path / "varrun"
    link.symlink_to(server.parent)
    proc = fake_proc(tmp_path, {7: ("/usr/sbin/dockerd", ["dockerd"], ["socket:[41]"])})
    (proc / "net" / "unix").write_text(UNIX_HEADER + unix_line(41, str(server)))
    result = find_daemon(f"unix://{link / server.name}", proc_root=str(proc))
    assert result.pid == 7


def test_unreadable_exe_falls_back_to_argv0(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, {9: (None, ["/usr/bin/dockerd", "--debug"], ["socket:[3]"])})
    (proc / "net" / "unix").write_text(UNIX_HEADER + unix_line(3, "/x/d.sock"))
    result = find_daemon("unix:///x/d.sock", proc_root=str(proc))
    assert (result.pid, result.exe, result.cmdline) == (9, "", ("/usr/bin/dockerd", "--debug"))


def test_several_dockerds_on_one_inode_is_an_error(tmp_path: Path) -> None:
    proc = fake_proc(
        tmp_path,
        {
            10: ("/usr/bin/dockerd", ["dockerd"], ["socket:[3]"]),
            11: ("/usr/bin/dockerd", ["dockerd"], ["socket:[3]"]),
        },
    )
    (proc / "net" / "unix").write_text(UNIX_HEADER + unix_line(3, "/x/d.sock"))
    result = find_daemon("unix:///x/d.sock", proc_root=str(proc))
    assert result.pid is None
    assert result.error == "several dockerd processes hold /x/d.sock (PIDs 10, 11)"


def test_no_socket_no_proc(tmp_path: Path) -> None:
    result = find_daemon(f"unix://{tmp_path}/none.sock", proc_root=str(tmp_path / "noproc"))
    assert result.error == (
        f"no dockerd process holds {tmp_path}/none.sock (cannot connect: No such file or directory)"
    )


def test_bare_path_and_odd_schemes(tmp_path: Path) -> None:
    assert find_daemon(f"{tmp_path}/x.sock").error is not None
    assert (
        find_daemon("unix://relative.sock").error
        == "cannot read a socket path from 'unix://relative.sock'"
    )
    assert (
        find_daemon("ssh://me@box").error
        == "ssh:// endpoint: daemon process not visible from this host"
    )
    assert find_daemon("tcp://[::1:2375").error is not None  # malformed: never raises


# ---------------------------------------------------------------- TCP

TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"


def tcp_line(addr_port: str, inode: int, state: str = "0A") -> str:
    return f"   0: {addr_port} 00000000:0000 {state} 00000000:00000000 00:00000000 00000000     0        0 {inode} 1 0 100 0 0 10 0\n"


def test_local_tcp_listener(tmp_path: Path) -> None:
    proc = fake_proc(
        tmp_path,
        {
            20: ("/usr/bin/dockerd", ["dockerd", "-H", "tcp://127.0.0.1:2375"], ["socket:[51]"]),
            21: ("/usr/bin/dockerd", ["dockerd", "-H", "tcp://0.0.0.0:2376"], ["socket:[52]"]),
        },
    )
    # 127.0.0.1:2375 (0x0947) listening; a connection on the same port that is not LISTEN.
    (proc / "net" / "tcp").write_text(
        TCP_HEADER + tcp_line("0100007F:0947", 51) + tcp_line("0100007F:0947", 60, state="01")
    )
    # [::]:2376 (0x0948): the wildcard accepts loopback connections too.
    (proc / "net" / "tcp6").write_text(TCP_HEADER + tcp_line("0" * 32 + ":0948", 52))
    r1 = find_daemon("tcp://127.0.0.1:2375", proc_root=str(proc))
    assert (r1.pid, r1.discovery) == (20, "tcp inode")
    assert find_daemon("tcp://localhost:2376", proc_root=str(proc)).pid == 21
    missing = find_daemon("tcp://127.0.0.1:2377", proc_root=str(proc))
    assert missing.error == f"no listening socket on 127.0.0.1:2377 in {proc}/net/tcp"


def test_remote_tcp_is_not_visible() -> None:
    for endpoint in (
        "tcp://10.0.0.5:2376",
        "tcp://docker.example.com:2376",
        "https://192.0.2.1:2376",
    ):
        assert (
            find_daemon(endpoint).error
            == "remote endpoint: daemon process not visible from this host"
        )
    assert find_daemon("tcp://127.0.0.1").error == "no port in tcp://127.0.0.1"


def test_is_local_endpoint() -> None:
    assert is_local_endpoint("unix:///var/run/docker.sock")
    assert is_local_endpoint("tcp://127.0.0.1:2375")
    assert is_local_endpoint("tcp://[::1]:2375")
    assert is_local_endpoint("tcp://localhost:2375")
    assert not is_local_endpoint("tcp://10.1.2.3:2375")
    assert not is_local_endpoint("ssh://me@box")


def test_rootless_config_home(tmp_path: Path) -> None:
    proc = fake_proc(
        tmp_path,
        {5: ("/usr/bin/dockerd", ["dockerd"], []), 6: ("/usr/bin/dockerd", ["dockerd"], [])},
    )
    (proc / "5" / "environ").write_bytes(
        b"HOME=/home/u\0ROOTLESSKIT_STATE_DIR=/run/user/1000/x\0SECRET=no\0"
    )
    (proc / "6" / "environ").write_bytes(b"HOME=/root\0")
    assert rootless_config_home(5, proc_root=str(proc)) == "/home/u/.config"
    assert rootless_config_home(6, proc_root=str(proc)) is None
    assert rootless_config_home(99, proc_root=str(proc)) is None


# ---------------------------------------------------------------- real daemons


@pytest.mark.docker
def test_real_daemon_socket() -> None:
    result = find_daemon("unix:///var/run/docker.sock")
    assert result.error is None, result.error
    assert os.path.basename(result.exe) == "dockerd"
    assert result.pid == int(Path("/var/run/docker.pid").read_text().strip())
    assert result.discovery == "SO_PEERCRED"


def _wait_for_socket(path: Path, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"second dockerd exited: {log.read_text()[-2000:]}")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(1)
                s.connect(str(path))
                s.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
                if b"OK" in s.recv(4096):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"second dockerd did not answer on {path}: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def second_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    """A second dockerd on its own bridge, listening on a plain socket and on a socket handed
    over the systemd way (``-H fd://``, held by this test process like PID 1 holds it)."""
    base = tmp_path_factory.mktemp("dockerd2")
    bridge = f"swp{uuid.uuid4().hex[:8]}"
    plain, activated, log = base / "d.sock", base / "act.sock", base / "log"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(activated))
    listener.listen(16)
    fd = listener.fileno()
    subprocess.run(["ip", "link", "add", bridge, "type", "bridge"], check=True)
    proc = None
    try:
        subprocess.run(["ip", "addr", "add", "10.213.77.1/24", "dev", bridge], check=True)
        # never --bridge=none: it would tear down the first daemon's docker0
        args = (
            f"dockerd --data-root {base}/data --exec-root {base}/exec --pidfile {base}/d.pid "
            f"-H unix://{plain} -H fd:// --iptables=false --ip-masq=false --bridge={bridge} "
            f"--storage-driver=vfs"
        )
        with log.open("wb") as out:
            # bash sets LISTEN_PID to its own PID, which exec hands to dockerd, and moves the
            # listener to fd 3 where sd_listen_fds expects it.
            proc = subprocess.Popen(
                ["bash", "-c", f"LISTEN_PID=$$ LISTEN_FDS=1 exec {args} 3<&{fd} {fd}<&-"],
                pass_fds=(fd,),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_for_socket(plain, proc, log)
        _wait_for_socket(activated, proc, log)
        yield proc.pid, plain, activated
    finally:
        if proc is not None:
            proc.terminate()  # only the dockerd this fixture started
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        listener.close()
        subprocess.run(["ip", "link", "del", bridge], check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.docker
def test_two_daemons_resolve_to_their_own_pid(second_daemon: tuple[int, Path, Path]) -> None:
    pid, plain, activated = second_daemon
    first = find_daemon("unix:///var/run/docker.sock")
    second = find_daemon(f"unix://{plain}")
    assert first.pid == int(Path("/var/run/docker.pid").read_text().strip())
    assert (second.pid, second.discovery) == (pid, "SO_PEERCRED")
    assert second.cmdline is not None
    assert f"unix://{plain}" in second.cmdline
    # Socket activation: the kernel names this test process as the peer; the inode scan finds
    # the dockerd that holds the handed-over listener.
    handed = find_daemon(f"unix://{activated}")
    assert handed.error is None, handed.error
    assert (handed.pid, handed.discovery) == (pid, "socket inode")
