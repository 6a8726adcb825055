"""A fake engine on a unix socket, a fake Enforcer, and a running proxy for unit tests.

The fake engine parses requests with its own small reader (not the proxy's parser, so the two
are checked against each other), records every request it receives, and answers through a
handler that writes raw bytes, so tests can stream, delay, hijack or misbehave on purpose.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from seawall.authz.model import ApiRequest, Decision, Subject
from seawall.authz.policy import Policy, TokenSpec
from seawall.authz.proxy import ProxyConfig, serve

TOKEN = "s3cret-token-value"
POLICY = Policy(
    version=1,
    roles=(),
    bindings=(),
    tokens=(TokenSpec("ci-bot", hashlib.sha256(TOKEN.encode()).hexdigest()),),
)


@dataclass
class Seen:
    """One request as the fake engine received it."""

    head: bytes
    body: bytes

    @property
    def line(self) -> str:
        """The request line."""
        return self.head.split(b"\r\n", 1)[0].decode()

    def header(self, name: str) -> list[str]:
        """All values of header ``name``."""
        out = []
        for line in self.head.decode("latin-1").split("\r\n")[1:]:
            k, _, v = line.partition(":")
            if k.lower() == name.lower():
                out.append(v.strip())
        return out


Handler = Callable[[Seen, socket.socket], bool]


def respond(status: int = 200, body: bytes = b'{"ok":true}', extra: str = "") -> bytes:
    """A complete Content-Length response."""
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def default_handler(seen: Seen, sock: socket.socket) -> bool:
    """Answer 200 with the request line echoed back as JSON."""
    sock.sendall(respond(body=json.dumps({"line": seen.line, "len": len(seen.body)}).encode()))
    return True


def _recv_until(sock: socket.socket, buf: bytearray, sep: bytes) -> int:
    while (i := buf.find(sep)) < 0:
        data = sock.recv(65536)
        if not data:
            raise EOFError
        buf += data
    return i


def _take(sock: socket.socket, buf: bytearray, n: int) -> bytes:
    while len(buf) < n:
        data = sock.recv(65536)
        if not data:
            raise EOFError
        buf += data
    out = bytes(buf[:n])
    del buf[:n]
    return out


def read_request(sock: socket.socket, buf: bytearray) -> Seen:
    """One request: head, and its body by Content-Length or chunked (de-chunked)."""
    i = _recv_until(sock, buf, b"\r\n\r\n")
    head = bytes(buf[: i + 4])
    del buf[: i + 4]
    seen = Seen(head, b"")
    length = seen.header("content-length")
    if length:
        seen.body = _take(sock, buf, int(length[0]))
    elif [v.lower() for v in seen.header("transfer-encoding")] == ["chunked"]:
        body = bytearray()
        while True:
            j = _recv_until(sock, buf, b"\r\n")
            size = int(bytes(buf[:j]), 16)
            del buf[: j + 2]
            if size == 0:
                _recv_until(sock, buf, b"\r\n")
                del buf[:2]
                break
            body += _take(sock, buf, size + 2)[:-2]
        seen.body = bytes(body)
    return seen


class FakeEngine:
    """A unix-socket HTTP server recording requests; ``handler`` answers each."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: list[Seen] = []
        self.connections = 0
        self.handler: Handler = default_handler
        self.closed = threading.Event()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.bind(path)
        self._sock.listen(16)
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def api_requests(self) -> list[Seen]:
        """Requests other than the proxy's start-up ``/_ping`` probe."""
        return [s for s in self.seen if "User-Agent: seawall-proxy" not in s.head.decode()]

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf = bytearray()
        with conn:
            try:
                while True:
                    seen = read_request(conn, buf)
                    self.seen.append(seen)
                    if not self.handler(seen, conn):
                        break
            except (EOFError, OSError):
                pass
        self.closed.set()

    def close(self) -> None:
        """Stop accepting."""
        self._stop = True
        self._sock.close()


@dataclass
class FakeHolder:
    """Stands in for PolicyHolder."""

    policy: Policy | None = POLICY


@dataclass
class FakeVerdict:
    """Stands in for enforce.Verdict."""

    decision: Decision
    body: bytes | None = None


@dataclass
class FakeLog:
    """Stands in for DecisionLog: keeps what the proxy records itself."""

    entries: list[tuple[str, Subject, ApiRequest, Decision]] = field(default_factory=list)

    def record(self, edge: str, subject: Subject, request: ApiRequest, decision: Decision) -> None:
        """Keep one decision."""
        self.entries.append((edge, subject, request, decision))


@dataclass
class FakeEnforcer:
    """Denies any path containing ``/deny`` or a body containing ``Privileged``; records calls.

    A path containing ``/boom`` makes the decision itself fail.
    """

    holder: FakeHolder = field(default_factory=FakeHolder)
    edge: str = "proxy"
    log: FakeLog = field(default_factory=FakeLog)
    calls: list[tuple[Subject, ApiRequest]] = field(default_factory=list)
    rewrite: bytes | None = None

    def authorize(self, subject: Subject, request: ApiRequest) -> FakeVerdict:
        """Allow, unless the request asks for something the tests call forbidden."""
        self.calls.append((subject, request))
        if "/boom" in request.path:
            raise RuntimeError("a bug in the decision")
        if "/deny" in request.path or (request.body and b"Privileged" in request.body):
            return FakeVerdict(Decision(False, "test/rule", "forbidden by the test"))
        return FakeVerdict(Decision(True, "test/allow", "ok"), self.rewrite)


@dataclass
class Running:
    """A proxy serving in a thread in front of a fake engine."""

    path: str
    engine: FakeEngine
    enforcer: FakeEnforcer
    config: ProxyConfig

    def connect(self) -> socket.socket:
        """A new client connection to the proxy (5 s timeout)."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(self.path)
        return s


@contextlib.contextmanager
def running_proxy(tmp: Path, **config: object) -> Iterator[Running]:
    """Start a fake engine and a proxy in front of it; stop both afterwards."""
    engine = FakeEngine(str(tmp / "engine.sock"))
    enforcer = FakeEnforcer()
    listen = config.pop("listen", f"unix://{tmp}/run/proxy.sock")
    cfg = ProxyConfig(listen=str(listen), upstream=f"unix://{engine.path}", **config)  # type: ignore[arg-type]
    stop, ready = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(cfg, enforcer, stop=stop, ready=ready.set)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    if errors:
        engine.close()
        raise errors[0]
    try:
        yield Running(str(listen).removeprefix("unix://"), engine, enforcer, cfg)
    finally:
        stop.set()
        thread.join(5)
        engine.close()
        assert not thread.is_alive()
        assert not os.path.exists(str(listen).removeprefix("unix://"))


def read_response(sock: socket.socket, buf: bytearray | None = None) -> tuple[int, bytes, bytes]:
    """One response with a Content-Length body: (status, head, body)."""
    buf = buf if buf is not None else bytearray()
    i = _recv_until(sock, buf, b"\r\n\r\n")
    head = bytes(buf[: i + 4])
    del buf[: i + 4]
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.decode("latin-1").split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.lower() == "content-length":
            length = int(v)
    return status, head, _take(sock, buf, length)


def get(path: str, extra: str = "") -> bytes:
    """A GET request."""
    return f"GET {path} HTTP/1.1\r\nHost: docker\r\n{extra}\r\n".encode()
