"""The proxy's listener: accept, identify the peer by the kernel, one thread per connection.

``serve`` refuses to start without a policy or without an engine answering ``/_ping`` behind
it (one clear line, a ``ProxyError``); at run time an unreachable engine is a ``502`` for the
request that needed it. The listening unix socket's directory is created (0755), a stale
socket is replaced (a live one, or a file that is not a socket, is refused), and the socket
gets its mode and group before anyone can connect.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from seawall.authz.proxy.config import (
    Address,
    ProxyConfig,
    ProxyError,
    connect,
    open_listener,
    parse_address,
    tune,
)
from seawall.authz.proxy.connection import Connection, Shared
from seawall.authz.proxy.http1 import MAX_HEAD, FramingError, parse_response_head
from seawall.authz.proxy.stream import Reader
from seawall.authz.unixsock import live_socket
from seawall.docker.peercred import peer_credentials

if TYPE_CHECKING:
    from seawall.authz.enforce import Enforcer

#: Seconds between checks of the stop event while waiting for connections.
POLL_INTERVAL = 0.25


def serve(
    config: ProxyConfig,
    enforcer: Enforcer,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve the filtering proxy until ``stop`` is set (or forever).

    Raises ``ProxyError`` when it cannot start: no policy, a bad address, the engine not
    reachable, or the socket cannot be created. ``ready`` is called once connections are
    accepted. On the way out the listening socket is removed and open connections are closed.
    """
    if enforcer.holder.policy is None:
        raise ProxyError("no valid policy is loaded; the proxy refuses to start without one")
    listen = parse_address(config.listen)
    upstream = parse_address(config.upstream)
    _check_engine(upstream)
    if listen.unix is not None:
        _refuse_live(listen.unix)
    listener = open_listener(config)
    listener.settimeout(POLL_INTERVAL)
    ino = os.stat(listen.unix).st_ino if listen.unix is not None else None
    shared = Shared(config=config, enforcer=enforcer, upstream=upstream, tcp=listen.unix is None)
    open_socks: set[socket.socket] = set()
    lock = threading.Lock()
    stop = stop if stop is not None else threading.Event()
    try:
        if ready is not None:
            ready()
        while not stop.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError as exc:
                print(f"seawall authz proxy: accept: {exc.strerror or exc}", file=sys.stderr)
                stop.wait(POLL_INTERVAL)
                continue
            _start(shared, sock, open_socks, lock)
    finally:
        listener.close()
        if listen.unix is not None and ino is not None:
            with contextlib.suppress(OSError):
                if os.stat(listen.unix).st_ino == ino:
                    os.unlink(listen.unix)
        with lock:
            for sock in open_socks:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _start(
    shared: Shared, sock: socket.socket, open_socks: set[socket.socket], lock: threading.Lock
) -> None:
    """Identify the peer and serve it in a new thread."""
    sock.settimeout(None)
    tune(sock)
    try:
        if shared.tcp:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            cred = None
        else:
            cred = peer_credentials(sock)
    except OSError:
        sock.close()
        return
    conn = Connection(shared, sock, cred)

    def run() -> None:
        try:
            conn.run()
        finally:
            with lock:
                open_socks.discard(sock)

    with lock:
        open_socks.add(sock)
    name = f"seawall-proxy-{cred.pid if cred else 'tcp'}"
    threading.Thread(target=run, name=name, daemon=True).start()


def _check_engine(upstream: Address) -> None:
    """Refuse to start unless the engine answers ``GET /_ping`` with 200."""
    try:
        sock = connect(upstream, timeout=5.0)
    except OSError as exc:
        raise ProxyError(
            f"the engine at {upstream} is not reachable: {exc.strerror or exc}",
            hint="start dockerd first, or pass --upstream",
        ) from None
    try:
        sock.settimeout(5.0)
        sock.sendall(b"GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: seawall-proxy\r\n\r\n")
        raw = Reader(sock, 64 * 1024).read_head(MAX_HEAD)
        status = parse_response_head(raw).status if raw is not None else 0
    except (OSError, EOFError, FramingError) as exc:
        raise ProxyError(f"the engine at {upstream} does not answer: {exc}") from None
    finally:
        sock.close()
    if status != 200:
        raise ProxyError(f"the engine at {upstream} answered /_ping with status {status}")


def _refuse_live(path: str) -> None:
    """Refuse to replace a socket another process still accepts connections on.

    (open_listener refuses non-sockets with its own message and replaces stale sockets.)
    """
    if live_socket(path):
        raise ProxyError(f"{path} is in use by another process; not replacing it")
