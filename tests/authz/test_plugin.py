"""The AuthZ plugin: wire parsing, subject and body mapping, answers, and the unix-socket server.

The enforcer here is a small fake that records what it was asked; the real decision engine is
exercised end to end by tests/integration/test_authz_plugin.py against a real dockerd.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from seawall.authz.model import ApiRequest, Decision, Subject, SubjectKind
from seawall.authz.plugin import PluginApp, deny_message, plugin_socket_path, serve_plugin
from seawall.authz.plugin_wire import WireError, WireRequest, parse_wire_request
from seawall.authz.policy import Policy, TokenSpec
from seawall.errors import ConfigError, UsageError

TOKEN = "s3cret-token-value"
POLICY = Policy(
    version=1,
    roles=(),
    bindings=(),
    tokens=(TokenSpec("ci-bot", hashlib.sha256(TOKEN.encode()).hexdigest()),),
    anonymous_name="local",
)


@dataclass(frozen=True)
class Verdict:
    """Shaped like seawall.authz.enforce.Verdict (imported lazily by the real edges)."""

    decision: Decision
    body: bytes | None = None


@dataclass
class FakeHolder:
    policy: Policy | None = POLICY


@dataclass
class FakeLog:
    lines: list[tuple[str, Subject, ApiRequest, Decision]] = field(default_factory=list)

    def record(self, edge: str, subject: Subject, request: ApiRequest, decision: Decision) -> None:
        self.lines.append((edge, subject, request, decision))


class FakeEnforcer:
    """Allows everything except paths containing 'deny'; records calls."""

    def __init__(self, policy: Policy | None = POLICY, *, boom: bool = False) -> None:
        self.holder = FakeHolder(policy)
        self.edge = "plugin"
        self.log = FakeLog()
        self.calls: list[tuple[Subject, ApiRequest]] = []
        self.boom = boom
        self._lock = threading.Lock()

    def authorize(self, subject: Subject, request: ApiRequest) -> Verdict:
        if self.boom:
            raise RuntimeError("secret detail that must not leak")
        with self._lock:
            self.calls.append((subject, request))
        if "deny" in request.path:
            return Verdict(Decision(False, "dev/run", "privileged containers are not allowed"))
        return Verdict(Decision(True, "dev/read", "read-only call"))


def wire(**kw: Any) -> bytes:
    doc: dict[str, Any] = {
        "RequestMethod": "GET",
        "RequestUri": "/v1.41/containers/json",
        "RequestHeaders": {"User-Agent": "Docker-Client/28.2.2 (linux)"},
    }
    doc.update(kw)
    return json.dumps(doc).encode()


def answer(raw: bytes) -> dict[str, Any]:
    doc = json.loads(raw)
    assert set(doc) == {"Allow", "Msg", "Err"}
    return dict(doc)


# --- plugin_socket_path -------------------------------------------------------------------


def test_socket_path_under_plugins_dir() -> None:
    assert plugin_socket_path("seawall") == "/run/docker/plugins/seawall.sock"
    assert plugin_socket_path("sw-1.a_b", "/tmp/p") == "/tmp/p/sw-1.a_b.sock"


@pytest.mark.parametrize("name", ["", "../x", "a/b", "a:latest", ".hidden", "x" * 200, "a b"])
def test_socket_path_refuses_bad_names(name: str) -> None:
    with pytest.raises(UsageError):
        plugin_socket_path(name)


# --- wire parsing -------------------------------------------------------------------------


def test_parse_engine_request() -> None:
    body = b'{"Image":"busybox"}'
    raw = wire(
        User="dev-alice",
        UserAuthNMethod="TLS",
        RequestMethod="POST",
        RequestUri="/v1.41/containers/create?name=x",
        RequestBody=base64.b64encode(body).decode(),
        RequestHeaders={"Content-Type": "application/json", "Content-Length": str(len(body))},
        RequestPeerCertificates=["-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n"],
        SomethingNewer={"x": 1},
    )
    req = parse_wire_request(raw)
    assert req.user == "dev-alice"
    assert req.authn_method == "TLS"
    assert req.method == "POST"
    assert req.uri == "/v1.41/containers/create?name=x"
    assert req.body == body
    assert req.content_type == "application/json"
    assert req.body_sent
    assert len(req.peer_certificates) == 1


def test_parse_absent_and_null_body_are_none() -> None:
    assert parse_wire_request(wire()).body is None
    assert parse_wire_request(wire(RequestBody=None)).body is None
    assert parse_wire_request(wire(RequestHeaders=None)).headers == {}


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b'"x"',
        b"\xff\xfe",
        b'{"RequestMethod":"GET"}',
        b'{"RequestUri":"/_ping"}',
        b'{"RequestMethod":"","RequestUri":"/_ping"}',
        b'{"RequestMethod":1,"RequestUri":"/_ping"}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestMethod":"POST"}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","User":["a"]}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestBody":"!!notbase64"}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestBody":123}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestHeaders":{"a":1}}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestHeaders":["a"]}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","RequestPeerCertificates":"x"}',
        b'{"RequestMethod":"GET","RequestUri":"/_ping","ResponseStatusCode":true}',
        b"[" * 100000,
    ],
)
def test_parse_refuses_malformed(raw: bytes) -> None:
    with pytest.raises(WireError):
        parse_wire_request(raw)


def test_header_lookup_is_case_insensitive_and_refuses_case_duplicates() -> None:
    req = WireRequest("GET", "/", headers={"X-Seawall-Token": "a"})
    assert req.header("x-seawall-token") == "a"
    assert req.header("X-Other") is None
    dup = WireRequest("GET", "/", headers={"X-Seawall-Token": "a", "x-seawall-token": "b"})
    with pytest.raises(WireError):
        dup.header("X-Seawall-Token")


@pytest.mark.parametrize(
    ("method", "headers", "sent"),
    [
        ("POST", {"Content-Length": "0"}, False),
        ("POST", {"Content-Length": "12"}, True),
        ("POST", {"Content-Length": "00"}, False),
        ("POST", {"Content-Length": "junk"}, True),
        ("POST", {}, True),  # Go strips Transfer-Encoding: a chunked body looks like this
        ("PUT", {}, True),
        ("GET", {}, False),
        ("DELETE", {}, False),
        ("GET", {"Content-Length": "5"}, True),
        ("POST", {"Transfer-Encoding": "chunked", "Content-Length": "0"}, True),
    ],
)
def test_body_sent(method: str, headers: dict[str, str], sent: bool) -> None:
    assert WireRequest(method, "/x", headers=headers).body_sent is sent


# --- PluginApp: subjects, bodies, answers ---------------------------------------------------


def test_cert_user_is_the_subject() -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_request(wire(User="dev-alice", UserAuthNMethod="TLS")))  # type: ignore[arg-type]
    assert out == {"Allow": True, "Msg": "", "Err": ""}
    subject, request = enf.calls[0]
    assert subject == Subject(SubjectKind.CERT, "dev-alice")
    assert request.path == "/containers/json"
    assert request.version == "1.41"


def test_cert_wins_over_a_token() -> None:
    enf = FakeEnforcer()
    PluginApp(enf).authz_request(wire(User="ops-admin", RequestHeaders={"X-Seawall-Token": TOKEN}))  # type: ignore[arg-type]
    assert enf.calls[0][0].name == "ops-admin"


def test_token_header_names_the_subject_case_insensitively() -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_request(wire(RequestHeaders={"x-seawall-token": TOKEN})))  # type: ignore[arg-type]
    assert out["Allow"]
    assert enf.calls[0][0] == Subject(SubjectKind.TOKEN, "ci-bot")


def test_unknown_token_is_denied_and_never_echoed() -> None:
    enf = FakeEnforcer()
    raw = PluginApp(enf).authz_request(wire(RequestHeaders={"X-Seawall-Token": "wrong-secret"}))  # type: ignore[arg-type]
    out = answer(raw)
    assert not out["Allow"]
    assert out["Msg"].startswith("seawall: denied (guard:token): ")
    assert b"wrong-secret" not in raw
    assert enf.calls == []
    assert [line[3].rule for line in enf.log.lines] == ["guard:token"]
    assert enf.log.lines[0][1].kind is SubjectKind.TOKEN
    assert "wrong-secret" not in repr(enf.log.lines)


def test_no_identity_is_anonymous() -> None:
    enf = FakeEnforcer()
    PluginApp(enf).authz_request(wire())  # type: ignore[arg-type]
    assert enf.calls[0][0] == Subject(SubjectKind.ANONYMOUS, "local")


def test_deny_message_names_rule_and_reason() -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_request(wire(RequestUri="/v1.41/deny")))  # type: ignore[arg-type]
    assert out["Allow"] is False
    assert out["Msg"] == "seawall: denied (dev/run): privileged containers are not allowed"
    assert deny_message(Decision(False, "r", "why")) == "seawall: denied (r): why"


def _post(body: bytes | None, headers: dict[str, str]) -> bytes:
    return wire(
        RequestMethod="POST",
        RequestUri="/v1.41/containers/create",
        RequestHeaders=headers,
        RequestBody=base64.b64encode(body).decode() if body is not None else None,
    )


def test_forwarded_body_is_passed_on() -> None:
    enf = FakeEnforcer()
    body = b'{"Image":"x"}'
    PluginApp(enf).authz_request(  # type: ignore[arg-type]
        _post(body, {"Content-Type": "application/json", "Content-Length": str(len(body))})
    )
    request = enf.calls[0][1]
    assert request.body == body
    assert request.body_sent
    assert request.content_type == "application/json"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json", "Content-Length": str(2 * 1024 * 1024)},  # >= 1 MiB
        {"Content-Type": "text/plain", "Content-Length": "20"},  # not forwarded: not JSON
        {"Content-Type": "application/json"},  # chunked: Go strips both framing headers
    ],
)
def test_body_sent_but_not_forwarded_is_none(headers: dict[str, str]) -> None:
    enf = FakeEnforcer()
    PluginApp(enf).authz_request(_post(None, headers))  # type: ignore[arg-type]
    request = enf.calls[0][1]
    assert request.body is None
    assert request.body_sent


def test_empty_post_has_an_empty_body() -> None:
    enf = FakeEnforcer()
    PluginApp(enf).authz_request(_post(None, {"Content-Length": "0"}))  # type: ignore[arg-type]
    request = enf.calls[0][1]
    assert request.body == b""
    assert not request.body_sent


def test_rejected_request_is_denied_with_its_guard_and_logged() -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_request(wire(RequestUri="/v1.41/containers/../x?secret=1")))  # type: ignore[arg-type]
    assert not out["Allow"]
    assert out["Msg"].startswith("seawall: denied (guard:")
    assert enf.calls == []
    ((_, _, request, decision),) = enf.log.lines
    assert decision.rule.startswith("guard:")
    assert "secret" not in request.path


@pytest.mark.parametrize("raw", [b"", b"{", b'{"RequestUri":"/_ping"}', b"\x00\xff"])
def test_malformed_wire_is_denied_with_err(raw: bytes) -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_request(raw))  # type: ignore[arg-type]
    assert out["Allow"] is False
    assert out["Msg"].startswith("seawall: denied (guard:plugin-wire): malformed AuthZ request")
    assert out["Err"] == out["Msg"]
    assert [line[3].rule for line in enf.log.lines] == ["guard:plugin-wire"]


def test_enforcer_crash_denies_without_details() -> None:
    enf = FakeEnforcer(boom=True)
    raw = PluginApp(enf).authz_request(wire())  # type: ignore[arg-type]
    out = answer(raw)
    assert not out["Allow"]
    assert "guard:internal-error" in out["Msg"]
    assert b"secret detail" not in raw
    assert b"Traceback" not in raw


def test_no_policy_still_answers() -> None:
    enf = FakeEnforcer(policy=None)
    PluginApp(enf).authz_request(wire())  # type: ignore[arg-type]
    assert enf.calls[0][0].kind is SubjectKind.ANONYMOUS
    out = answer(PluginApp(enf).authz_request(wire(RequestHeaders={"X-Seawall-Token": TOKEN})))  # type: ignore[arg-type]
    assert not out["Allow"]


def test_response_hook_always_allows() -> None:
    enf = FakeEnforcer()
    out = answer(PluginApp(enf).authz_response(wire(ResponseStatusCode=201)))  # type: ignore[arg-type]
    assert out == {"Allow": True, "Msg": "", "Err": ""}
    assert enf.calls == []
    assert enf.log.lines == []


# --- the server on a unix socket ------------------------------------------------------------


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("plugin", timeout=10)
        self.path = path

    def connect(self) -> None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.path)
        self.sock = s


def call(conn: http.client.HTTPConnection, path: str, body: bytes = b"") -> tuple[int, str, bytes]:
    conn.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/vnd.docker.plugins.v1.2+json"},
    )
    resp = conn.getresponse()
    return resp.status, resp.getheader("Content-Type") or "", resp.read()


@dataclass
class Running:
    path: str
    enforcer: FakeEnforcer
    stop: threading.Event
    thread: threading.Thread


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[Running]:
    path = str(tmp_path / "plugins" / "swtest.sock")
    enf = FakeEnforcer()
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(
        target=serve_plugin, args=(path, enf), kwargs={"stop": stop, "ready": ready.set}
    )
    thread.start()
    assert ready.wait(10)
    yield Running(path, enf, stop, thread)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_server_protocol_keep_alive(plugin: Running) -> None:
    conn = UnixHTTPConnection(plugin.path)
    status, ctype, body = call(conn, "/Plugin.Activate")
    assert status == 200
    assert ctype == "application/vnd.docker.plugins.v1+json"
    assert json.loads(body) == {"Implements": ["authz"]}
    # Same connection: an allowed call, a denied one, a response hook, then allowed again.
    assert json.loads(call(conn, "/AuthZPlugin.AuthZReq", wire())[2])["Allow"] is True
    denied = json.loads(call(conn, "/AuthZPlugin.AuthZReq", wire(RequestUri="/v1.41/deny"))[2])
    assert denied["Allow"] is False
    assert json.loads(call(conn, "/AuthZPlugin.AuthZRes", wire(ResponseBody="eyJ9"))[2]) == {
        "Allow": True,
        "Msg": "",
        "Err": "",
    }
    assert json.loads(call(conn, "/AuthZPlugin.AuthZReq", wire())[2])["Allow"] is True
    status, _, body = call(conn, "/Nope.Method")
    assert status == 404
    assert "Err" in json.loads(body)
    conn.close()


def test_server_socket_is_private(plugin: Running) -> None:
    mode = os.stat(plugin.path).st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o600


def test_server_chunked_request_body(plugin: Running) -> None:
    conn = UnixHTTPConnection(plugin.path)
    conn.putrequest("POST", "/AuthZPlugin.AuthZReq")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    data = wire(RequestUri="/v1.41/deny")
    for piece in (data[:10], data[10:]):
        conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    conn.send(b"0\r\n\r\n")
    assert json.loads(conn.getresponse().read())["Allow"] is False
    conn.close()


def _read_all(s: socket.socket) -> bytes:
    chunks = []
    while chunk := s.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def test_server_refuses_oversized_and_bad_framing(plugin: Running) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(plugin.path)
        s.sendall(
            b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: p\r\nContent-Length: 99999999999\r\n\r\n"
        )
        reply = _read_all(s)
    assert reply.startswith(b"HTTP/1.1 200")
    assert b'"Allow": false' in reply
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(plugin.path)
        s.sendall(
            b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: p\r\nContent-Length: 2\r\n"
            b"Content-Length: 3\r\n\r\n{}"
        )
        reply = _read_all(s)
    assert b'"Allow": false' in reply


def test_server_concurrent_calls(plugin: Running) -> None:
    def one(i: int) -> bool:
        conn = UnixHTTPConnection(plugin.path)
        try:
            uri = f"/v1.41/{'deny' if i % 2 else 'containers/json'}"
            return bool(
                json.loads(call(conn, "/AuthZPlugin.AuthZReq", wire(RequestUri=uri))[2])["Allow"]
            )
        finally:
            conn.close()

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(64)))
    assert results == [i % 2 == 0 for i in range(64)]
    assert len(plugin.enforcer.calls) == 64


def test_server_removes_its_socket_on_stop(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")
    stop = threading.Event()
    stop.set()  # stops right after it is ready
    serve_plugin(path, FakeEnforcer(), stop=stop)  # type: ignore[arg-type]
    assert not os.path.exists(path)


def test_server_replaces_a_stale_socket(tmp_path: Path) -> None:
    path = str(tmp_path / "stale.sock")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()  # the file stays, nobody listens
    stop = threading.Event()
    seen: list[bool] = []
    serve_plugin(path, FakeEnforcer(), stop=stop, ready=lambda: (seen.append(True), stop.set()))  # type: ignore[arg-type,func-returns-value]
    assert seen == [True]


def test_server_refuses_a_live_socket_and_non_sockets(plugin: Running, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="another process is serving"):
        serve_plugin(plugin.path, FakeEnforcer(), stop=threading.Event())  # type: ignore[arg-type]
    regular = tmp_path / "file.sock"
    regular.write_text("x")
    with pytest.raises(ConfigError, match="not a socket"):
        serve_plugin(str(regular), FakeEnforcer(), stop=threading.Event())  # type: ignore[arg-type]
    assert regular.read_text() == "x"
