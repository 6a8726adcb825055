"""``seawall authz plugin``: the Docker engine's AuthZ plugin protocol, backed by the policy.

The engine calls the plugin over HTTP/1.1 on a unix socket, concurrently, for every API request:
``POST /Plugin.Activate`` once (answered ``{"Implements": ["authz"]}``), then
``POST /AuthZPlugin.AuthZReq`` before it handles a request and ``POST /AuthZPlugin.AuthZRes``
before it answers (wire format: ``seawall.authz.plugin_wire``). Each ``AuthZReq`` becomes a
``Subject`` and an ``ApiRequest`` for ``Enforcer.authorize``; a deny goes back as
``Msg = "seawall: denied (<rule>): <reason>"``, which the docker CLI prints after
``authorization denied by plugin <name>:``. ``AuthZRes`` is always allowed: the request has
already run, and a deny there cannot undo it.

Who is asking: the engine passes only the CN of a verified TLS client certificate (``User``);
failing that, a named service token in the policy's token header (the CLI can add it with
``HttpHeaders`` in ``~/.docker/config.json``; never logged); failing that, the anonymous
subject (every caller on the unix socket). Per-user rules on the local socket need the proxy
(``seawall authz proxy``), which asks the kernel who is calling.

What the plugin cannot see: the engine forwards a request body only when it is JSON and
smaller than 1 MiB (newer engines also want a ``Content-Length``, so a chunked body is not
forwarded; dockerd 20.10 forwards one), so a larger or otherwise-typed body arrives empty. Such
requests are passed on with ``body=None`` and the decision denies them whenever it
needs the body (``guard:body-missing``). The plugin also cannot look anything up (a call back
into the engine would itself pass through authorization), so owner-scoped grants deny here.

Enabling it (as root)::

    seawall authz plugin --policy /etc/seawall/policy.yaml --name seawall &
    # socket: /run/docker/plugins/seawall.sock (start the plugin BEFORE the engine needs it)
    # /etc/docker/daemon.json: {"authorization-plugins": ["seawall"]}
    kill -HUP "$(cat /var/run/docker.pid)"     # or dockerd --authorization-plugin=seawall

Lockout risk: once enabled, every API call goes through the plugin, ``/_ping`` included. If the
plugin is down, the engine retries each call for about 15 s and then fails it (measured with
dockerd 20.10: ``docker version``, a ping plus one call, failed after 32 s), so nothing can be
done through the API, including turning the plugin off. A policy that denies too much has the
same effect for everyone without a matching role. Keep a root-only recovery path that does not
need the API: stop dockerd (``systemctl stop docker``), remove ``authorization-plugins`` from
daemon.json (or the flag), start it again. Run the plugin under a supervisor that restarts it.
A missing or invalid policy does not stop the plugin: it denies everything until a valid policy
is loaded; SIGHUP reloads and a failed reload keeps the last good policy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socketserver
import stat
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from seawall.authz.identity import anonymous, subject_for_cert, subject_for_token
from seawall.authz.model import ApiRequest, Decision, Subject, SubjectKind
from seawall.authz.plugin_wire import (
    ACTIVATE,
    AUTHZ_REQUEST,
    AUTHZ_RESPONSE,
    CONTENT_TYPE,
    WireError,
    WireRequest,
    activate_answer,
    authz_answer,
    error_answer,
    parse_wire_request,
)
from seawall.authz.request import RequestRejected, normalise
from seawall.authz.unixsock import live_socket
from seawall.errors import ConfigError, UsageError

if TYPE_CHECKING:  # the decision engine is imported by whoever builds the Enforcer
    from seawall.authz.enforce import Enforcer

_log = logging.getLogger(__name__)

#: The largest AuthZReq body read: a 1 MiB request body in base64 plus headers and certificates.
MAX_WIRE_BYTES = 8 * 1024 * 1024
DEFAULT_TOKEN_HEADER = "X-Seawall-Token"  # noqa: S105 - a header name, not a secret
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def plugin_socket_path(name: str, plugins_dir: str = "/run/docker/plugins") -> str:
    """Where the engine looks for plugin ``name``: ``<plugins_dir>/<name>.sock``."""
    if not _NAME.match(name):
        raise UsageError(
            f"plugin name {name!r}: use letters, digits, '_', '.' and '-' (no '/' or ':')"
        )
    return os.path.join(plugins_dir, f"{name}.sock")


def deny_message(decision: Decision) -> str:
    """The text the docker CLI shows for a deny."""
    return f"seawall: denied ({decision.rule}): {decision.reason}"


class PluginApp:
    """The plugin's logic, socket-free: wire bytes in, wire bytes out. Thread-safe."""

    def __init__(self, enforcer: Enforcer) -> None:
        self.enforcer = enforcer

    def authz_request(self, raw: bytes) -> bytes:
        """Answer one ``AuthZReq``: decide, log, and allow or deny with a message."""
        try:
            wire = parse_wire_request(raw)
        except WireError as exc:
            decision = Decision(False, "guard:plugin-wire", f"malformed AuthZ request: {exc}")
            self._record(None, None, decision)
            msg = deny_message(decision)
            return authz_answer(False, msg, msg)
        try:
            decision = self._decide(wire)
        except Exception as exc:  # a bug must deny, never crash the server or leak a traceback
            _log.error("seawall authz plugin: internal error: %s", exc.__class__.__name__)
            _log.debug("internal error", exc_info=True)
            decision = Decision(False, "guard:internal-error", "internal error in the plugin")
            msg = deny_message(decision)
            return authz_answer(False, msg, msg)
        return authz_answer(True) if decision.allow else authz_answer(False, deny_message(decision))

    def authz_response(self, raw: bytes) -> bytes:
        """Answer one ``AuthZRes``: always allow (the request already ran); nothing is logged."""
        return authz_answer(True)

    def _decide(self, wire: WireRequest) -> Decision:
        policy = self.enforcer.holder.policy
        subject: Subject | None
        if wire.user:
            subject = subject_for_cert(wire.user)
        else:
            header = policy.token_header if policy is not None else DEFAULT_TOKEN_HEADER
            token = wire.header(header)
            if token:
                subject = subject_for_token(token, policy) if policy is not None else None
                if subject is None:
                    decision = Decision(False, "guard:token", f"unknown service token in {header}")
                    unknown = Subject(SubjectKind.TOKEN, "(unknown token)")
                    self._record(unknown, _bare_request(wire), decision)
                    return decision
            else:
                subject = anonymous(policy)
        sent = wire.body_sent
        seen = wire.body if wire.body else None
        body: bytes | None
        if seen is not None:
            body, sent = seen, True
        else:
            # Sent but not forwarded (>= 1 MiB, chunked, not application/json): unknown body.
            body = None if sent else b""
        try:
            request = normalise(
                wire.method, wire.uri, body=body, body_sent=sent, content_type=wire.content_type
            )
        except RequestRejected as exc:
            decision = Decision(False, exc.guard, exc.reason)
            self._record(subject, _bare_request(wire), decision)
            return decision
        return self.enforcer.authorize(subject, request).decision

    def _record(
        self, subject: Subject | None, request: ApiRequest | None, decision: Decision
    ) -> None:
        """Log a decision the plugin made itself (the enforcer logs its own)."""
        log = self.enforcer.log
        if log is None:
            return
        who = subject if subject is not None else anonymous(self.enforcer.holder.policy)
        try:
            log.record(self.enforcer.edge, who, request or ApiRequest("-", "-"), decision)
        except OSError as exc:
            _log.error("seawall authz plugin: decision log: %s", exc.strerror or exc)


def _bare_request(wire: WireRequest) -> ApiRequest:
    """An un-normalised request for the log: method and path only (never the query)."""
    return ApiRequest(method=wire.method, path=wire.uri.split("?", 1)[0][:512])


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler for the engine's plugin client."""

    protocol_version = "HTTP/1.1"
    server: _PluginServer

    def do_POST(self) -> None:
        """Route the three plugin endpoints."""
        path = self.path.split("?", 1)[0]
        if path == AUTHZ_RESPONSE:
            self._discard_body()  # never parsed: the answer is always allow
            self._answer(200, self.server.app.authz_response(b""))
            return
        raw = self._read_body()
        if raw is None:
            return
        if path == AUTHZ_REQUEST:
            self._answer(200, self.server.app.authz_request(raw))
        elif path == ACTIVATE:
            self._answer(200, activate_answer())
        else:
            self._answer(404, error_answer(f"unknown plugin endpoint {path[:100]}"))

    def do_GET(self) -> None:
        """Only POST is part of the protocol."""
        self._answer(405, error_answer("use POST"))

    def _length(self) -> int | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return -1
        values = self.headers.get_all("Content-Length") or []
        if len(values) > 1 or (values and not values[0].strip().isdigit()):
            return None
        return int(values[0]) if values else 0

    def _read_body(self) -> bytes | None:
        """The request body; None (after answering) when it is too large or badly framed."""
        length = self._length()
        if length == -1:
            data = self._read_chunked(MAX_WIRE_BYTES)
        elif length is None or length > MAX_WIRE_BYTES:
            data = None
        else:
            data = self.rfile.read(length)
        if data is None:
            self.close_connection = True
            msg = "seawall: denied (guard:plugin-wire): AuthZ request too large or badly framed"
            self._answer(200, authz_answer(False, msg, msg))
        return data

    def _read_chunked(self, limit: int) -> bytes | None:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(8192).strip():
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > limit:
                return None
            parts.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _discard_body(self) -> None:
        length = self._length()
        if length == -1:
            if self._read_chunked(1 << 40) is None:
                self.close_connection = True
        elif length is None:
            self.close_connection = True
        else:
            while length > 0:
                chunk = self.rfile.read(min(length, 1 << 16))
                if not chunk:
                    break
                length -= len(chunk)

    def _answer(self, status: int, body: bytes) -> None:
        # One write for status line, headers and body: one segment, one wakeup for the engine.
        reason = self.responses.get(status, ("",))[0]
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {CONTENT_TYPE}\r\n"
            f"Content-Length: {len(body)}\r\n"
        )
        if self.close_connection:
            head += "Connection: close\r\n"
        self.wfile.write(head.encode("ascii") + b"\r\n" + body)

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request logging: decisions go to the decision log, not stderr."""


class _PluginServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """A threaded HTTP server on a unix socket (the engine calls concurrently)."""

    daemon_threads = True
    block_on_close = False
    # The engine opens a connection per concurrent API call; the default backlog of 5 would
    # refuse bursts (EAGAIN on a unix socket), which the engine retries only after a second.
    request_queue_size = 256

    def __init__(self, path: str, app: PluginApp) -> None:
        self.app = app
        super().__init__(path, _Handler, bind_and_activate=False)

    def server_bind(self) -> None:
        """Bind with a 0600 socket from the start (only root, i.e. the engine, may call)."""
        old = os.umask(0o177)
        try:
            super().server_bind()
        finally:
            os.umask(old)


def _clear_stale(path: str) -> None:
    """Remove a socket left by a dead plugin; refuse when another one is still serving it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(st.st_mode):
        raise ConfigError(f"{path} exists and is not a socket; not replacing it")
    if not live_socket(path):
        os.unlink(path)
        return
    raise ConfigError(
        f"another process is serving {path}", hint="stop it first, or use another --name"
    )


def serve_plugin(
    socket_path: str,
    enforcer: Enforcer,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve the AuthZ plugin protocol on ``socket_path`` until ``stop`` is set (or forever).

    Creates the directory if needed, replaces a stale socket (refuses a live one), calls
    ``ready`` once the socket accepts connections, and removes the socket on the way out.
    """
    try:
        os.makedirs(os.path.dirname(socket_path) or ".", mode=0o755, exist_ok=True)
        _clear_stale(socket_path)
        server = _PluginServer(socket_path, PluginApp(enforcer))
        server.server_bind()
        server.server_activate()
    except OSError as exc:
        raise ConfigError(f"cannot listen on {socket_path}: {exc.strerror or exc}") from None
    ino = os.stat(socket_path).st_ino
    try:
        if ready is not None:
            ready()
        if stop is None:
            server.serve_forever(poll_interval=0.5)
        else:
            loop = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
            )
            loop.start()
            # A bounded wait lets signal handlers in the main thread run promptly.
            while not stop.wait(0.5):
                pass
            server.shutdown()
            loop.join()
    finally:
        server.server_close()
        with contextlib.suppress(OSError):
            if os.stat(socket_path).st_ino == ino:
                os.unlink(socket_path)
