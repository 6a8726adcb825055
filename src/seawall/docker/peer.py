"""Find the dockerd process that serves an endpoint, from the kernel's point of view.

Unix socket: connect and ask the kernel who is listening (``SO_PEERCRED``). When the peer is
not dockerd (systemd socket activation hands the listening socket from PID 1 to dockerd), the
socket's inode is looked up in ``/proc/net/unix`` and the dockerd holding that inode in one
of its file descriptors is the answer. Local TCP endpoints use ``/proc/net/tcp{,6}`` the same
way. Never a guess (no ``pgrep``, no "newest dockerd"): when the kernel cannot say, the
answer is an error naming why. Nothing here raises.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from seawall.docker.peercred import peer_credentials

#: Seconds to wait for the endpoint to accept a connection.
CONNECT_TIMEOUT = 2.0
#: Largest /proc/PID/cmdline read (the kernel caps it at a page per arg anyway).
_CMDLINE_MAX = 1 << 20
#: /proc/net/unix Flags bit for a listening socket (__SO_ACCEPTCON).
_SO_ACCEPTCON = 0x10000
#: /proc/net/tcp state of a listening socket (TCP_LISTEN).
_TCP_LISTEN = "0A"
_DAEMON = "dockerd"


@dataclass(frozen=True, slots=True)
class DaemonProcess:
    """The dockerd behind an endpoint, or why it could not be found.

    ``discovery`` is ``SO_PEERCRED``, ``socket inode`` or ``tcp inode``; ``exe`` the resolved
    binary (``""`` when not readable). On failure ``pid``/``cmdline`` are ``None`` and
    ``error`` is one line saying why.
    """

    pid: int | None
    cmdline: tuple[str, ...] | None
    exe: str = ""
    discovery: str = ""
    error: str | None = None


def _fail(error: str) -> DaemonProcess:
    return DaemonProcess(pid=None, cmdline=None, error=error)


def find_daemon(endpoint: str, *, proc_root: str = "/proc") -> DaemonProcess:
    """Find the dockerd serving ``endpoint`` (``unix://PATH``, a bare path, or ``tcp://H:P``)."""
    try:
        parts = urlsplit(endpoint)
        scheme = parts.scheme.lower()
        if scheme in ("", "unix"):
            path = parts.path if scheme else endpoint
            if not path.startswith("/"):
                return _fail(f"cannot read a socket path from {endpoint!r}")
            return _find_unix(path, proc_root)
        if scheme in ("tcp", "http", "https"):
            return _find_tcp(endpoint, parts.hostname or "", parts.port, proc_root)
        return _fail(f"{scheme}:// endpoint: daemon process not visible from this host")
    except (ValueError, OSError) as exc:  # a malformed endpoint or an unexpected /proc shape
        return _fail(f"cannot find the daemon process for {endpoint}: {exc}")


def is_local_endpoint(endpoint: str) -> bool:
    """True for a unix socket or a TCP endpoint on this machine's loopback."""
    try:
        parts = urlsplit(endpoint)
        if parts.scheme.lower() in ("", "unix"):
            return True
        if parts.scheme.lower() in ("tcp", "http", "https"):
            return _loopback_addresses(parts.hostname or "") is not None
    except ValueError:
        pass
    return False


def rootless_config_home(pid: int, *, proc_root: str = "/proc") -> str | None:
    """``$XDG_CONFIG_HOME`` (or ``$HOME/.config``) of a dockerd running under RootlessKit.

    dockerd reads ``<config home>/docker/daemon.json`` instead of ``/etc/docker`` when
    ``ROOTLESSKIT_STATE_DIR`` is set. Only these variables are read from the environment.
    """
    try:
        with open(os.path.join(proc_root, str(pid), "environ"), "rb") as fh:
            raw = fh.read(_CMDLINE_MAX)
    except OSError:
        return None
    env = {}
    for item in raw.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key in (b"ROOTLESSKIT_STATE_DIR", b"XDG_CONFIG_HOME", b"HOME"):
            env[key.decode()] = value.decode("utf-8", "surrogateescape")
    if not env.get("ROOTLESSKIT_STATE_DIR"):
        return None
    if env.get("XDG_CONFIG_HOME"):
        return env["XDG_CONFIG_HOME"]
    return os.path.join(env["HOME"], ".config") if env.get("HOME") else None


def _find_unix(path: str, proc_root: str) -> DaemonProcess:
    peer_pid, connect_error = _peer_pid(path)
    peer_exe = ""
    if peer_pid:
        peer_exe = _exe(proc_root, peer_pid) or ""
        if _is_dockerd(proc_root, peer_pid, peer_exe):
            return _process(proc_root, peer_pid, peer_exe, "SO_PEERCRED")
    inodes = set(_unix_listen_inodes(path, proc_root))
    found = _holder(inodes, proc_root, path, "socket inode")
    if found is not None:
        return found
    if connect_error is not None:
        why = f"cannot connect: {connect_error}"
    elif peer_pid == 0:
        why = "peer PID is not visible in this PID namespace"
    else:
        why = f"peer PID {peer_pid} is {peer_exe or 'unreadable'}"
    return _fail(f"no dockerd process holds {path} ({why})")


def _peer_pid(path: str) -> tuple[int | None, str | None]:
    """The PID listening on a unix socket, or the connect error."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT)
        sock.connect(path)
        return peer_credentials(sock).pid, None
    except OSError as exc:
        return None, exc.strerror or str(exc)
    finally:
        sock.close()


def _holder(inodes: set[int], proc_root: str, what: str, discovery: str) -> DaemonProcess | None:
    """The one dockerd with a file descriptor on one of ``inodes``; an error if several."""
    if not inodes:
        return None
    targets = {f"socket:[{i}]" for i in inodes}
    holders = []
    for pid, exe in _dockerds(proc_root):
        if any(link in targets for link in _fd_links(proc_root, pid)):
            holders.append((pid, exe))
    if len(holders) == 1:
        return _process(proc_root, holders[0][0], holders[0][1], discovery)
    if len(holders) > 1:
        pids = ", ".join(str(p) for p, _ in sorted(holders))
        return _fail(f"several dockerd processes hold {what} (PIDs {pids})")
    return None


def _process(proc_root: str, pid: int, exe: str, discovery: str) -> DaemonProcess:
    cmdline = _cmdline(proc_root, pid)
    if cmdline is None:
        return _fail(f"dockerd PID {pid} found by {discovery} but its command line is unreadable")
    return DaemonProcess(pid=pid, cmdline=cmdline, exe=exe, discovery=discovery)


def _exe(proc_root: str, pid: int) -> str | None:
    try:
        target = os.readlink(os.path.join(proc_root, str(pid), "exe"))
    except OSError:
        return None
    # An upgraded binary still running shows as "/usr/bin/dockerd (deleted)".
    return target.removesuffix(" (deleted)")


def _cmdline(proc_root: str, pid: int) -> tuple[str, ...] | None:
    try:
        with open(os.path.join(proc_root, str(pid), "cmdline"), "rb") as fh:
            raw = fh.read(_CMDLINE_MAX)
    except OSError:
        return None
    args = raw.split(b"\0")
    if args and args[-1] == b"":
        args.pop()  # NUL-terminated: the last split is empty
    return tuple(a.decode("utf-8", "surrogateescape") for a in args) or None


def _is_dockerd(proc_root: str, pid: int, exe: str) -> bool:
    if exe:
        return os.path.basename(exe) == _DAEMON
    # exe is unreadable for other users' processes; argv[0] is readable by everyone.
    cmdline = _cmdline(proc_root, pid)
    return cmdline is not None and os.path.basename(cmdline[0]) == _DAEMON


def _dockerds(proc_root: str) -> Iterator[tuple[int, str]]:
    try:
        entries = os.listdir(proc_root)
    except OSError:
        return
    for entry in sorted(entries):
        if not entry.isdigit():
            continue
        pid = int(entry)
        exe = _exe(proc_root, pid) or ""
        if _is_dockerd(proc_root, pid, exe):
            yield pid, exe


def _fd_links(proc_root: str, pid: int) -> Iterator[str]:
    fd_dir = os.path.join(proc_root, str(pid), "fd")
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return  # exited meanwhile, or not ours to read
    for fd in fds:
        try:
            yield os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return fh.read().splitlines()[1:]  # first line is the header
    except OSError:
        return []


def _same_path(a: str, b: str) -> bool:
    # /var/run is usually a symlink to /run; the kernel shows the path as bound.
    if a == b:
        return True
    return os.path.basename(a) == os.path.basename(b) and os.path.realpath(a) == os.path.realpath(b)


def _unix_listen_inodes(path: str, proc_root: str) -> Iterator[int]:
    """Inodes of listening unix sockets bound to ``path`` (``/proc/net/unix``)."""
    # Num RefCount Protocol Flags Type St Inode Path
    for line in _read_lines(os.path.join(proc_root, "net", "unix")):
        fields = line.split(maxsplit=7)
        if len(fields) < 8:
            continue
        try:
            flags, inode = int(fields[3], 16), int(fields[6])
        except ValueError:
            continue
        if flags & _SO_ACCEPTCON and _same_path(fields[7], path):
            yield inode


def _find_tcp(endpoint: str, host: str, port: int | None, proc_root: str) -> DaemonProcess:
    if port is None:
        return _fail(f"no port in {endpoint}")
    wanted = _loopback_addresses(host)
    if wanted is None:
        return _fail("remote endpoint: daemon process not visible from this host")
    inodes = set(_tcp_listen_inodes(proc_root, port, wanted))
    found = _holder(inodes, proc_root, f"{host}:{port}", "tcp inode")
    if found is not None:
        return found
    if not inodes:
        return _fail(f"no listening socket on {host}:{port} in {proc_root}/net/tcp")
    return _fail(f"no dockerd process holds the listener on {host}:{port}")


def _loopback_addresses(host: str) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address] | None:
    """The addresses ``host`` may be bound to when it is this machine's loopback, else None."""
    if host.lower() == "localhost":
        return {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return None
    return {addr} if addr.is_loopback else None


def _decode_addr(hex_addr: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    # /proc/net/tcp{,6}: the address is in host byte order per 32-bit word (little endian).
    raw = bytes.fromhex(hex_addr)
    swapped = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    addr = ipaddress.ip_address(swapped)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _tcp_listen_inodes(
    proc_root: str, port: int, wanted: Iterable[ipaddress.IPv4Address | ipaddress.IPv6Address]
) -> Iterator[int]:
    accept = set(wanted)
    for name in ("tcp", "tcp6"):
        # sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
        for line in _read_lines(os.path.join(proc_root, "net", name)):
            fields = line.split()
            if len(fields) < 10 or fields[3] != _TCP_LISTEN:
                continue
            try:
                hex_addr, hex_port = fields[1].split(":")
                addr, lport, inode = _decode_addr(hex_addr), int(hex_port, 16), int(fields[9])
            except ValueError:
                continue
            if lport == port and (addr.is_unspecified or addr in accept):
                yield inode
