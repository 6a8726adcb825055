"""The proxy's settings, its listen and upstream addresses, and the sockets made from them."""

from __future__ import annotations

import contextlib
import grp
import ipaddress
import os
import socket
import stat
from dataclasses import dataclass

from seawall.errors import SeawallError

#: Default engine socket.
DEFAULT_UPSTREAM = "unix:///var/run/docker.sock"


class ProxyError(SeawallError):
    """The proxy cannot start: a bad address, a socket it cannot create, no engine behind it."""


@dataclass(frozen=True, slots=True)
class ProxyConfig:
    """How the proxy listens and where it forwards.

    ``listen`` is ``unix:///run/seawall/docker.sock`` (or a bare absolute path) or
    ``tcp://127.0.0.1:2376``; a TCP listener must be on loopback unless ``allow_remote_tcp``
    (callers on TCP are identified only by their token header). ``max_json_body`` bounds the
    bodies the decision reads whole (larger: 413 and the connection is closed).
    ``idle_timeout`` closes a client connection that sends nothing between requests for that
    many seconds (streams and hijacked sessions are never timed out).
    """

    listen: str
    upstream: str = DEFAULT_UPSTREAM
    socket_mode: int = 0o660
    socket_group: str | None = None
    max_json_body: int = 4 * 1024 * 1024
    idle_timeout: float = 300.0
    allow_remote_tcp: bool = False


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed ``unix://`` path or ``tcp://`` host and port."""

    unix: str | None = None
    host: str = ""
    port: int = 0

    def __str__(self) -> str:
        if self.unix is not None:
            return f"unix://{self.unix}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


def parse_address(text: str) -> Address:
    """``unix:///path``, ``/path`` or ``tcp://host:port`` (IPv6 hosts in brackets)."""
    if text.startswith("unix://") or text.startswith("/"):
        path = text.removeprefix("unix://")
        if not path.startswith("/") or "\x00" in path:
            raise ProxyError(f"unix socket address needs an absolute path: {text!r}")
        return Address(unix=path)
    if text.startswith("tcp://"):
        rest = text.removeprefix("tcp://").rstrip("/")
        host, sep, port = rest.rpartition(":")
        host = host.removeprefix("[").removesuffix("]")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ProxyError(f"tcp address needs host:port: {text!r}")
        return Address(host=host, port=int(port))
    raise ProxyError(f"address must start with unix:// or tcp://: {text!r}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_listener(config: ProxyConfig) -> socket.socket:
    """Bind and listen on ``config.listen``: socket file mode and group set, stale socket removed."""
    addr = parse_address(config.listen)
    if addr.unix is None:
        if not config.allow_remote_tcp and not _is_loopback(addr.host):
            raise ProxyError(
                f"refusing to listen on {addr}: not a loopback address",
                hint="TCP callers are identified only by a token; --allow-remote-tcp accepts it anyway",
            )
        family = socket.AF_INET6 if ":" in addr.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((addr.host, addr.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise ProxyError(f"cannot listen on {addr}: {exc.strerror or exc}") from exc
        return sock
    return _unix_listener(addr.unix, config)


def _unix_listener(path: str, config: ProxyConfig) -> socket.socket:
    gid = -1
    if config.socket_group is not None:
        try:
            gid = grp.getgrnam(config.socket_group).gr_gid
        except KeyError:
            raise ProxyError(f"socket group {config.socket_group!r} does not exist") from None
    parent = os.path.dirname(path)
    try:
        os.makedirs(parent, mode=0o755, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISSOCK(os.lstat(path).st_mode):
                raise ProxyError(f"{path} exists and is not a socket; not removing it")
            os.unlink(path)
    except OSError as exc:
        raise ProxyError(f"cannot prepare {path}: {exc.strerror or exc}") from exc
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Nobody may connect between bind and chmod: bind with a umask that leaves the owner only.
    # (The umask is process-wide; serve() binds before it starts any thread.)
    old = os.umask(0o177)
    try:
        sock.bind(path)
    except OSError as exc:
        sock.close()
        raise ProxyError(f"cannot bind {path}: {exc.strerror or exc}") from exc
    finally:
        os.umask(old)
    try:
        os.chmod(path, config.socket_mode)
        if gid != -1:
            os.chown(path, -1, gid)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ProxyError(f"cannot set up {path}: {exc.strerror or exc}") from exc
    return sock


def connect(addr: Address, timeout: float | None = None) -> socket.socket:
    """A connected stream socket to ``addr`` (blocking; ``timeout`` bounds the connect only)."""
    if addr.unix is not None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(addr.unix)
        except OSError:
            sock.close()
            raise
    else:
        sock = socket.create_connection((addr.host, addr.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(None)
    tune(sock)
    return sock


#: Socket buffer size asked for on both sides of the proxy (the kernel caps it at wmem_max /
#: rmem_max): a deeper pipeline means fewer wake-ups per megabyte of image save or load.
SOCKET_BUFFER = 1024 * 1024


def tune(sock: socket.socket) -> None:
    """Large send and receive buffers on a proxied connection."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
