"""One client connection of the proxy: parse, judge, forward and relay, request after request.

Each request on a keep-alive connection is parsed strictly (``http1``), normalised, and judged
by the ``Enforcer`` before a single byte of it goes upstream. Bodies the decision reads (JSON)
are read whole, de-chunked, up to ``max_json_body``; bodies it cannot read (build contexts,
image loads, archive uploads) belong to actions judged whole and are streamed through after
the decision. An allowed request is re-serialised (request line with the original target,
headers minus hop-by-hop fields and the token, a fresh ``Content-Length``) onto this client's
one upstream connection, and the response is relayed as it arrives. Only a ``101`` (or an
attach/exec-start answered with a raw stream) turns the connection into a two-way splice.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seawall.authz.identity import anonymous, subject_for_token, subject_for_uid
from seawall.authz.model import ApiRequest, Decision, Subject
from seawall.authz.proxy.config import Address, ProxyConfig, connect
from seawall.authz.proxy.http1 import (
    HOP_BY_HOP,
    MAX_HEAD,
    FramingError,
    RequestHead,
    parse_request_head,
)
from seawall.authz.proxy.relay import copy_chunked, copy_length, read_chunked
from seawall.authz.proxy.stream import PeerGone, Pipe, Reader
from seawall.authz.proxy.upstream import UpstreamError, relay_response
from seawall.authz.request import RequestRejected, normalise
from seawall.authz.routes import BodyKind, match
from seawall.docker.peercred import PeerCred

if TYPE_CHECKING:
    from seawall.authz.enforce import Enforcer

#: The token header's default name (the policy can rename it; both are always stripped).
DEFAULT_TOKEN_HEADER = "X-Seawall-Token"  # noqa: S105 - a header name, not a secret

#: Actions whose 200 answer with a raw-stream content type is a hijacked connection.
_HIJACK = frozenset({"container.attach", "exec.start"})

_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 413: "Content Too Large"}
_REASONS |= {417: "Expectation Failed", 431: "Request Header Fields Too Large"}
_REASONS |= {502: "Bad Gateway"}


@dataclass(frozen=True, slots=True)
class Shared:
    """What every connection of one proxy shares."""

    config: ProxyConfig
    enforcer: Enforcer
    upstream: Address
    tcp: bool


class Connection:
    """Serve one accepted client socket until it closes (run in its own thread)."""

    def __init__(self, shared: Shared, sock: socket.socket, cred: PeerCred | None) -> None:
        self.shared = shared
        self.client = Reader(sock)
        self.cred = cred
        self.up: Reader | None = None
        self._pipe: Pipe | None = None

    @property
    def pipe(self) -> Pipe:
        """The splice pipe for answers (engine to client), made on first use."""
        if self._pipe is None:
            self._pipe = Pipe()
        return self._pipe

    def run(self) -> None:
        """The keep-alive loop; never raises (a failure closes the connection)."""
        try:
            while self._one():
                pass
        except (OSError, EOFError, PeerGone, FramingError):
            pass  # the client or the engine went away mid-message: nothing left to answer
        except Exception as exc:  # a bug must cost one connection, not the proxy
            print(
                f"seawall authz proxy: connection failed: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
        finally:
            self._drop_upstream()
            self.client.sock.close()
            if self._pipe is not None:
                self._pipe.close()

    def _one(self) -> bool:
        """Serve one request; True when the connection stays open for another."""
        self.client.timeout = self.shared.config.idle_timeout
        try:
            raw = self.client.read_head(MAX_HEAD)
            if raw is None:
                return False
            head = parse_request_head(raw)
        except TimeoutError:
            return False
        except FramingError as exc:
            self._refuse_framing(exc)
            return False
        return self._request(head)

    # -- identity -------------------------------------------------------------------------------

    def _subject(self, head: RequestHead) -> Subject | str:
        """The caller, or the message of a 400/401 when its token is unusable."""
        policy = self.shared.enforcer.holder.policy
        if not self.shared.tcp and self.cred is not None:
            return subject_for_uid(self.cred.uid, self.cred.gid, self.cred.pid, policy)
        if policy is None:
            return anonymous(None)
        name = policy.token_header.lower()
        values = [v for k, v in head.headers if k.lower() == name]
        if not values:
            return anonymous(policy)
        if len(values) > 1:
            return f"more than one {policy.token_header} header"
        found = subject_for_token(values[0], policy)
        return found if found is not None else f"unknown {policy.token_header}"

    def _token_headers(self) -> frozenset[str]:
        """Header names never forwarded: the policy's token header and the default one."""
        policy = self.shared.enforcer.holder.policy
        names = {DEFAULT_TOKEN_HEADER.lower()}
        if policy is not None:
            names.add(policy.token_header.lower())
        return frozenset(names)

    # -- one request ----------------------------------------------------------------------------

    def _request(self, head: RequestHead) -> bool:
        subject = self._subject(head)
        if isinstance(subject, str):
            # Logged without the value: a token is a secret even when it is wrong.
            decision = Decision(False, "guard:token", subject)
            self._record(self._peer_subject(), _bare(head), decision)
            self._answer(401, f"seawall: {subject}", keep=False)
            return False
        content_type = head.get("content-type") or ""
        try:
            # A request without a body is judged with an empty one; an opaque body is judged
            # unseen (its action is granted whole); a JSON body is read first.
            request = normalise(
                head.method,
                head.target,
                body=None if head.has_body else b"",
                body_sent=head.has_body,
                content_type=content_type,
            )
            route = match(request.method, request.path, request.query)
            # Tar archives and streams (build, load, cp into) are never read by the decision:
            # their actions are granted whole, so their bodies are streamed, not read.
            stream = head.has_body and route is not None and route.route.body is BodyKind.OPAQUE
            body: bytes | None = None
            if head.has_body and not stream:
                body = self._read_body(head)
                if body is None:
                    return False
                request = normalise(
                    head.method, head.target, body=body, body_sent=True, content_type=content_type
                )
        except RequestRejected as exc:
            decision = Decision(False, exc.guard, exc.reason)
            return self._deny(
                subject, _bare(head), decision, keep=head.keep_alive and not head.has_body
            )
        if not head.has_body:
            body = b""
        try:
            verdict = self.shared.enforcer.authorize(subject, request)
        except Exception as exc:  # fail closed: a bug in a decision must not let a request through
            print(
                f"seawall authz proxy: decision failed: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
            decision = Decision(False, "guard:internal", "the decision failed; see the proxy's log")
            return self._answer_denied(decision, keep=False)
        if not verdict.decision.allow:
            return self._answer_denied(verdict.decision, keep=head.keep_alive and not stream)
        if verdict.body is not None and not stream:
            body = verdict.body  # e.g. a create with the owner label set
        return self._forward(head, body, hijack=route is not None and route.action in _HIJACK)

    def _read_body(self, head: RequestHead) -> bytes | None:
        """The whole body the decision needs; None when refused (answered, connection to close)."""
        limit = self.shared.config.max_json_body
        if not head.has_body:
            return b""
        try:
            if head.content_length is not None and head.content_length > limit:
                raise FramingError(f"request body over {limit} bytes", 413)
            if head.expect_continue:
                self.client.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if head.content_length is not None:
                return self.client.read_exact(head.content_length)
            return read_chunked(self.client, limit)
        except FramingError as exc:
            self._refuse_framing(exc)
            return None

    def _forward(self, head: RequestHead, body: bytes | None, *, hijack: bool) -> bool:
        """Send an allowed request upstream and relay the answer; True to keep the connection."""
        stream = body is None
        out = _serialise(head, body, self._token_headers())
        try:
            up = self._send_upstream(out, body or b"")
        except OSError as exc:
            self._answer(
                502,
                f"seawall: the engine at {self.shared.upstream} is not reachable: {exc.strerror or exc}",
                keep=head.keep_alive and not stream,
            )
            return head.keep_alive and not stream
        pump: _Pump | None = None
        if stream:
            if head.expect_continue:
                self.client.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            pump = _Pump(self.client, up.sock, head)
        try:
            keep = relay_response(
                up, self.client, head, hijack=hijack, watch=not stream, pipe=self.pipe
            )
        except UpstreamError as exc:
            self._drop_upstream()
            self._answer(502, f"seawall: bad answer from the engine: {exc}", keep=False)
            return False
        finally:
            if pump is not None:
                pump.finish(self.client.sock)
        if not keep:
            self._drop_upstream()
            return False
        return head.keep_alive and (pump is None or pump.ok)

    def _send_upstream(self, out: bytes, body: bytes) -> Reader:
        """Send a request head (and a buffered body) upstream; reconnect once if a reused
        connection turns out closed before the engine read anything."""
        data = [out + body] if len(body) < 65536 else [out, body]
        up = self.up if self.up is not None and _idle_alive(self.up) else None
        if up is not None:
            try:
                for piece in data:
                    up.sock.sendall(piece)
                return up
            except (BrokenPipeError, ConnectionResetError):
                pass
        self._drop_upstream()
        up = self.up = Reader(connect(self.shared.upstream, timeout=10.0))
        for piece in data:
            up.sock.sendall(piece)
        return up

    def _drop_upstream(self) -> None:
        if self.up is not None:
            self.up.sock.close()
            self.up = None

    # -- answers of the proxy's own -------------------------------------------------------------

    def _deny(
        self, subject: Subject, request: ApiRequest, decision: Decision, *, keep: bool
    ) -> bool:
        self._record(subject, request, decision)
        return self._answer_denied(decision, keep=keep)

    def _answer_denied(self, decision: Decision, *, keep: bool) -> bool:
        self._answer(403, f"seawall: denied ({decision.rule}): {decision.reason}", keep=keep)
        return keep

    def _refuse_framing(self, exc: FramingError) -> None:
        """Answer a message the proxy will not interpret (always closing the connection)."""
        decision = Decision(False, "guard:framing", str(exc))
        self._record(self._peer_subject(), ApiRequest("-", "-"), decision)
        self._answer(exc.status, f"seawall: refused: {exc}", keep=False)

    def _peer_subject(self) -> Subject:
        """Who is connected, for the log of a request refused before it was understood."""
        policy = self.shared.enforcer.holder.policy
        if self.cred is not None:
            return subject_for_uid(self.cred.uid, self.cred.gid, self.cred.pid, policy)
        return anonymous(policy)

    def _record(self, subject: Subject, request: ApiRequest, decision: Decision) -> None:
        log = self.shared.enforcer.log
        if log is None:
            return
        try:
            log.record(self.shared.enforcer.edge, subject, request, decision)
        except OSError as exc:
            print(f"seawall authz proxy: decision log: {exc.strerror or exc}", file=sys.stderr)

    def _answer(self, status: int, message: str, *, keep: bool) -> None:
        body = json.dumps({"message": message}).encode()
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n" + ("" if keep else "Connection: close\r\n") + "\r\n"
        )
        with contextlib.suppress(OSError):
            self.client.sock.sendall(head.encode() + body)
            if not keep:
                _linger(self.client.sock)


#: A refused request's unread body is drained for at most this long / this much before the
#: connection closes, so a client still uploading (docker load, build) reads the answer instead
#: of failing with "broken pipe" (the "lingering close" of HTTP servers).
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024 * 1024


def _linger(sock: socket.socket) -> None:
    """Half-close, then discard what the client still sends, bounded in time and bytes."""
    sock.shutdown(socket.SHUT_WR)
    deadline = time.monotonic() + LINGER_SECONDS
    buf = bytearray(256 * 1024)
    drained = 0
    while drained < LINGER_BYTES:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(left)
        n = sock.recv_into(buf)
        if n == 0:
            return
        drained += n


class _Pump:
    """Stream an opaque request body upstream in its own thread, while the answer is relayed."""

    def __init__(self, client: Reader, up: socket.socket, head: RequestHead) -> None:
        self.ok = False
        self._thread = threading.Thread(target=self._run, args=(client, up, head), daemon=True)
        self._thread.start()

    def _run(self, client: Reader, up: socket.socket, head: RequestHead) -> None:
        pipe = Pipe()
        try:
            if head.content_length is not None:
                copy_length(client, up, head.content_length, pipe=pipe)
            else:
                copy_chunked(client, up, trailers=False)
            self.ok = True
        except (OSError, EOFError, FramingError):
            pass
        finally:
            pipe.close()

    def finish(self, client: socket.socket) -> None:
        """Wait for the body to be through; if the engine answered early, cut the client off."""
        self._thread.join(0.5)
        if self._thread.is_alive():
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RD)
            self._thread.join()


def _bare(head: RequestHead) -> ApiRequest:
    """An un-normalised request for the log: method and path only (never the query)."""
    return ApiRequest(method=head.method, path=head.target.split("?", 1)[0][:512])


def _idle_alive(up: Reader) -> bool:
    """True when an idle upstream connection is still usable (no EOF, no stray bytes)."""
    if up.pending():
        return False
    try:
        up.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False  # an end of stream, or bytes nobody asked for


def _serialise(head: RequestHead, body: bytes | None, strip: frozenset[str]) -> bytes:
    """The request head sent upstream; ``body`` None means the original body is streamed."""
    named = {
        t.strip().lower()
        for k, v in head.headers
        if k.lower() == "connection"
        for t in v.split(",")
    }
    lines = [f"{head.method} {head.target} HTTP/{head.version}"]
    for k, v in head.headers:
        lk = k.lower()
        if lk in HOP_BY_HOP or lk in named or lk in strip:
            continue
        lines.append(f"{k}: {v}")
    if head.upgrade is not None:
        lines += ["Connection: Upgrade", f"Upgrade: {head.upgrade}"]
    if body is None:
        lines.append(
            "Transfer-Encoding: chunked"
            if head.chunked
            else f"Content-Length: {head.content_length}"
        )
    elif body or head.content_length is not None or head.chunked:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
