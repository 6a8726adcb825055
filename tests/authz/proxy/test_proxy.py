"""The proxy end to end in front of a fake engine: judged per request, smuggling refused."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from seawall.authz.model import SubjectKind
from tests.authz.proxy.fakes import (
    TOKEN,
    Seen,
    get,
    read_response,
    respond,
    running_proxy,
)
from tests.authz.proxy.test_http1 import SMUGGLING


def test_allowed_then_denied_on_one_keep_alive_connection(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        buf = bytearray()
        s.sendall(get("/v1.41/containers/json?all=1"))
        status, _, body = read_response(s, buf)
        assert status == 200 and json.loads(body)["line"].startswith("GET /v1.41/containers/json")
        s.sendall(get("/v1.41/containers/deny/json"))
        status, head, body = read_response(s, buf)
        assert status == 403
        assert json.loads(body) == {"message": "seawall: denied (test/rule): forbidden by the test"}
        assert b"Connection: close" not in head
        s.sendall(get("/v1.41/version"))  # the connection is still usable
        assert read_response(s, buf)[0] == 200
        lines = [r.line for r in p.engine.api_requests]
        assert lines == ["GET /v1.41/containers/json?all=1 HTTP/1.1", "GET /v1.41/version HTTP/1.1"]


def test_pipelined_denied_request_never_reaches_the_engine(tmp_path: Path) -> None:
    body = b'{"Image":"x","HostConfig":{"Privileged":true}}'
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(
            get("/_ping")
            + b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\n"
            + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            + get("/v1.41/info")
        )
        buf = bytearray()
        assert [read_response(s, buf)[0] for _ in range(3)] == [200, 403, 200]
        assert [r.line.split()[1] for r in p.engine.api_requests] == ["/_ping", "/v1.41/info"]
        assert p.engine.connections == 2  # the start-up probe, then one for this client


@pytest.mark.parametrize("name", sorted(SMUGGLING))
def test_smuggling_is_refused_before_the_engine(tmp_path: Path, name: str) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(SMUGGLING[name] + b"0\r\n\r\n" + get("/v1.41/containers/json"))
        status, head, body = read_response(s)
        assert status in (400, 417, 431)
        assert b"Connection: close" in head
        assert json.loads(body)["message"].startswith("seawall: refused:")
        assert s.recv(100) == b""  # closed: nothing after the bad head is read
        assert p.engine.api_requests == []


def test_smuggled_chunk_framing_is_refused(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(
            b"POST /v1.41/containers/x/update HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"2;x\r\n{}\r\n0\r\n\r\n"
        )
        assert read_response(s)[0] == 400
        assert p.engine.api_requests == []


def test_chunked_json_body_is_dechunked_and_judged(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        buf = bytearray()
        head = b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        s.sendall(head + b'5\r\n{"Ima\r\n8\r\nge":"x"}\r\n0\r\n\r\n')
        assert read_response(s, buf)[0] == 200
        seen = p.engine.api_requests[-1]
        assert seen.body == b'{"Image":"x"}'
        assert seen.header("content-length") == ["13"] and seen.header("transfer-encoding") == []
        assert p.enforcer.calls[-1][1].body == b'{"Image":"x"}'
        # the same trick with the forbidden field split over chunks is still seen whole
        s.sendall(head + b'6\r\n{"Priv\r\nd\r\nileged":true}\r\n0\r\n\r\n')
        assert read_response(s, buf)[0] == 403
        assert len(p.engine.api_requests) == 1


def test_body_over_the_limit_is_413_and_closed(tmp_path: Path) -> None:
    with running_proxy(tmp_path, max_json_body=1000) as p:
        with p.connect() as s:
            s.sendall(
                b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nContent-Length: 1001\r\n\r\n"
            )
            status, head, _ = read_response(s)
            assert status == 413 and b"Connection: close" in head
        with p.connect() as s:
            s.sendall(
                b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n"
                + b"200\r\n"
                + b"x" * 512
                + b"\r\n"
                + b"200\r\n"
                + b"x" * 512
                + b"\r\n0\r\n\r\n"
            )
            assert read_response(s)[0] == 413
        assert p.engine.api_requests == []


def test_hop_by_hop_and_token_headers_are_not_forwarded(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(
            get(
                "/v1.41/info",
                f"X-Seawall-Token: {TOKEN}\r\nx-seawall-token: again\r\nConnection: keep-alive, X-Hop\r\n"
                "X-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nX-Registry-Auth: e30=\r\n",
            )
        )
        assert read_response(s)[0] == 200
        head = p.engine.api_requests[-1].head.decode()
        assert TOKEN not in head and "again" not in head
        for name in ("x-seawall-token", "connection", "x-hop", "keep-alive", "te"):
            assert p.engine.api_requests[-1].header(name) == [], name
        assert p.engine.api_requests[-1].header("x-registry-auth") == ["e30="]
        # on the unix socket the caller is who the kernel says, whatever the header claims
        subject = p.enforcer.calls[-1][0]
        assert subject.kind is SubjectKind.USER and subject.uid == os.getuid()
        assert subject.pid == os.getpid()


def test_tcp_listener_identifies_by_token(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running_proxy(tmp_path, listen=f"tcp://127.0.0.1:{port}") as p:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            buf = bytearray()
            s.sendall(get("/v1.41/info", f"X-Seawall-Token: {TOKEN}\r\n"))
            assert read_response(s, buf)[0] == 200
            token_subject = p.enforcer.calls[-1][0]
            assert token_subject.kind is SubjectKind.TOKEN and token_subject.name == "ci-bot"
            assert TOKEN not in p.engine.api_requests[-1].head.decode()
            s.sendall(get("/v1.41/info"))
            assert read_response(s, buf)[0] == 200
            anonymous_subject = p.enforcer.calls[-1][0]
            assert anonymous_subject.kind is SubjectKind.ANONYMOUS
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(get("/v1.41/info", "X-Seawall-Token: wrong\r\n"))
            status, _, body = read_response(s)
            assert status == 401 and b"wrong" not in body
        assert len(p.engine.api_requests) == 2


def test_owner_label_body_replaces_the_original(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.enforcer.rewrite = b'{"Image":"x","Labels":{"io.seawall.owner":"root"}}'
        s.sendall(
            b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\n"
            b'Content-Length: 13\r\n\r\n{"Image":"x"}'
        )
        assert read_response(s)[0] == 200
        seen = p.engine.api_requests[-1]
        assert seen.body == p.enforcer.rewrite
        assert seen.header("content-length") == [str(len(p.enforcer.rewrite))]


def test_opaque_upload_is_streamed_after_the_decision(tmp_path: Path) -> None:
    payload = os.urandom(3 * 1024 * 1024)
    with running_proxy(tmp_path, max_json_body=1024) as p, p.connect() as s:
        s.sendall(
            b"POST /v1.41/images/load?quiet=1 HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for i in range(0, len(payload), 100_000):
            piece = payload[i : i + 100_000]
            s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        s.sendall(b"0\r\n\r\n")
        status, _, body = read_response(s)
        assert status == 200 and json.loads(body)["len"] == len(payload)
        assert p.engine.api_requests[-1].body == payload
        assert p.enforcer.calls[-1][1].body is None and p.enforcer.calls[-1][1].body_sent
        # and with a Content-Length, then a denied upload, which is answered and closed
        s.sendall(
            b"PUT /v1.41/containers/c/archive?path=/ HTTP/1.1\r\nHost: d\r\nContent-Length: %d\r\n\r\n%s"
            % (len(payload), payload)
        )
        assert read_response(s)[0] == 200
        assert p.engine.api_requests[-1].body == payload
        s.sendall(b"POST /v1.41/build?t=x HTTP/1.1\r\nHost: d\r\nContent-Length: 10\r\n\r\n")
        time.sleep(0.1)  # judged already; the body follows later and is streamed through
        s.sendall(b"0123456789")
        assert read_response(s)[0] == 200
        assert p.engine.api_requests[-1].body == b"0123456789"


def test_denied_opaque_upload_is_not_read(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(
            b"PUT /v1.41/containers/deny/archive?path=/ HTTP/1.1\r\nHost: d\r\nContent-Length: 1000000\r\n\r\n"
        )
        status, head, _ = read_response(s)
        assert status == 403 and b"Connection: close" in head
        assert p.engine.api_requests == []


def test_denied_upload_still_in_flight_reads_the_answer(tmp_path: Path) -> None:
    """A client still uploading when it is refused gets the 403, not a broken pipe."""
    with running_proxy(tmp_path) as p, p.connect() as s:
        size = 8 * 1024 * 1024
        s.sendall(
            b"PUT /v1.41/containers/deny/archive?path=/ HTTP/1.1\r\nHost: d\r\n"
            + f"Content-Length: {size}\r\n\r\n".encode()
        )
        time.sleep(0.2)  # the proxy has judged and answered: the upload goes on regardless
        chunk = b"x" * 65536
        for _ in range(size // len(chunk)):
            s.sendall(chunk)  # raises BrokenPipeError if the proxy closed without draining
        status, _, body = read_response(s)
        assert status == 403 and b"seawall: denied" in body
        assert p.engine.api_requests == []


def _streaming(seen: Seen, sock: socket.socket) -> bool:
    if "/events" in seen.line:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for i in range(3):
            event = b'{"n":%d}\n' % i
            sock.sendall(b"%x\r\n%s\r\n" % (len(event), event))
            time.sleep(0.3)
        sock.sendall(b"0\r\n\r\n")
        return True
    sock.sendall(respond())
    return True


def test_streaming_answer_arrives_as_it_happens(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.handler = _streaming
        start = time.monotonic()
        s.sendall(get("/v1.41/events"))
        got = bytearray()
        while b'{"n":0}' not in got:
            got += s.recv(65536)
        assert time.monotonic() - start < 0.25  # long before the stream ends (~0.9 s)
        while not got.endswith(b"0\r\n\r\n"):
            got += s.recv(65536)
        assert got.count(b'{"n":') == 3
        s.sendall(get("/_ping"))  # keep-alive after a chunked answer
        assert read_response(s)[0] == 200


def test_client_leaving_a_stream_closes_the_engine_side(tmp_path: Path) -> None:
    def silent(seen: Seen, sock: socket.socket) -> bool:
        if "/events" not in seen.line:
            sock.sendall(respond())
            return True
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        sock.recv(1)  # waits until the proxy hangs up
        return False

    with running_proxy(tmp_path) as p:
        p.engine.handler = silent
        p.engine.closed.clear()
        s = p.connect()
        s.sendall(get("/v1.41/events"))
        assert s.recv(1000).startswith(b"HTTP/1.1 200")
        s.close()
        assert p.engine.closed.wait(5)


def _hijack(seen: Seen, sock: socket.socket) -> bool:
    if "/attach" not in seen.line:
        sock.sendall(respond())
        return True
    assert seen.header("upgrade") == ["tcp"]
    sock.sendall(
        b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
        b"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello\n"
    )
    data = bytearray()
    while chunk := sock.recv(100):
        data += chunk
    sock.sendall(b"echo:" + bytes(data))
    sock.shutdown(socket.SHUT_WR)
    return False


def test_attach_is_spliced_after_the_upgrade(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.handler = _hijack
        s.sendall(
            get(
                "/v1.41/containers/deny-not/attach?stream=1&stdin=1",
                "Connection: Upgrade\r\nUpgrade: tcp\r\n",
            ).replace(b"deny-not", b"c1")
        )
        got = bytearray()
        while b"hello\n" not in got:
            got += s.recv(1000)
        assert got.startswith(b"HTTP/1.1 101 UPGRADED\r\n")
        s.sendall(b"line one\n")
        s.sendall(b"POST /not/a/request HTTP/1.1\r\n\r\n")  # raw bytes now, not judged
        s.shutdown(socket.SHUT_WR)
        rest = bytearray()
        while chunk := s.recv(1000):
            rest += chunk
        assert bytes(rest) == b"echo:line one\nPOST /not/a/request HTTP/1.1\r\n\r\n"
        assert len(p.enforcer.calls) == 1


def test_denied_attach_is_never_spliced(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.handler = _hijack
        s.sendall(
            get("/v1.41/containers/deny/attach?stream=1", "Connection: Upgrade\r\nUpgrade: tcp\r\n")
        )
        assert read_response(s)[0] == 403
        assert p.engine.api_requests == []


def test_engine_down_is_502(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.close()
        os.unlink(p.engine.path)
        s.sendall(get("/v1.41/info"))
        status, _, body = read_response(s)
        assert status == 502 and b"not reachable" in body


def test_engine_garbage_is_502(tmp_path: Path) -> None:
    def garbage(seen: Seen, sock: socket.socket) -> bool:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
        return False

    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.handler = garbage
        s.sendall(get("/v1.41/info"))
        assert read_response(s)[0] == 502


def test_idle_connections_time_out(tmp_path: Path) -> None:
    with running_proxy(tmp_path, idle_timeout=0.2) as p, p.connect() as s:
        assert s.recv(10) == b""


def test_many_concurrent_clients(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p:
        errors: list[BaseException] = []

        def client() -> None:
            try:
                with p.connect() as s:
                    buf = bytearray()
                    for _ in range(20):
                        s.sendall(get("/v1.41/version"))
                        assert read_response(s, buf)[0] == 200
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=client) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert not errors
        assert len(p.engine.api_requests) == 200


def _odd_answers(seen: Seen, sock: socket.socket) -> bool:
    path = seen.line.split()[1]
    if path == "/v1.41/head":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    elif path == "/v1.41/empty":
        sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
    elif path == "/v1.41/export":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n\r\n" + b"t" * 300_000)
        return False  # the end of the stream frames the body
    else:
        sock.sendall(respond(body=b"x" * 200_000))
    return True


def test_answer_framings(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        p.engine.handler = _odd_answers
        buf = bytearray()
        s.sendall(b"HEAD /v1.41/head HTTP/1.1\r\nHost: d\r\n\r\n" + get("/v1.41/empty"))
        got = bytearray()
        while got.count(b"\r\n\r\n") < 2:
            got += s.recv(1000)
        assert got == b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
        s.sendall(get("/v1.41/big"))  # large enough to be spliced
        status, _, body = read_response(s, buf)
        assert status == 200 and body == b"x" * 200_000
        s.sendall(get("/v1.41/export"))
        out = bytearray()
        while chunk := s.recv(65536):
            out += chunk
        assert out.endswith(b"\r\n\r\n" + b"t" * 300_000)


def test_expect_continue_and_http10(tmp_path: Path) -> None:
    with running_proxy(tmp_path) as p:
        with p.connect() as s:
            s.sendall(
                b"POST /v1.41/containers/create HTTP/1.1\r\nHost: d\r\nContent-Length: 2\r\n"
                b"Expect: 100-continue\r\n\r\n"
            )
            assert s.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
            s.sendall(b"{}")
            assert read_response(s)[0] == 200
            assert p.engine.api_requests[-1].header("expect") == []
        with p.connect() as s:
            s.sendall(b"GET /v1.41/version HTTP/1.0\r\n\r\n")
            assert read_response(s)[0] == 200
            assert s.recv(10) == b""  # HTTP/1.0 without keep-alive: closed after the answer
            assert p.engine.api_requests[-1].line == "GET /v1.41/version HTTP/1.0"


def test_archive_into_container_with_slash_name_is_streamed(tmp_path: Path) -> None:
    payload = b"a" * (2 * 1024 * 1024)
    with running_proxy(tmp_path, max_json_body=1024) as p, p.connect() as s:
        s.sendall(
            b"PUT /v1.41/containers/a%2Fb/archive?path=/ HTTP/1.1\r\nHost: d\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(payload)
            + payload
        )
        assert read_response(s)[0] == 200
        assert p.engine.api_requests[-1].body == payload


def test_refusals_are_logged_without_secrets(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running_proxy(tmp_path, listen=f"tcp://127.0.0.1:{port}") as p:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(get("/v1.41/info", "X-Seawall-Token: wrong-secret-value\r\n"))
            assert read_response(s)[0] == 401
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(get("/v1.41/a/../b"))
            assert read_response(s)[0] == 403
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(
                b"GET / HTTP/1.1\r\nHost: d\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
            )
            assert read_response(s)[0] == 400
        rules = [(e[3].rule, e[2].path) for e in p.enforcer.log.entries]
        assert rules == [
            ("guard:token", "/v1.41/info"),
            ("guard:path", "/v1.41/a/../b"),
            ("guard:framing", "-"),
        ]
        assert "wrong-secret-value" not in repr(p.enforcer.log.entries)
        assert p.engine.api_requests == []


def test_a_failing_decision_denies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with running_proxy(tmp_path) as p, p.connect() as s:
        s.sendall(get("/v1.41/containers/boom/json"))
        status, _, body = read_response(s)
        assert status == 403 and b"guard:internal" in body and b"Traceback" not in body
        assert p.engine.api_requests == []
    assert "a bug in the decision" in capsys.readouterr().err
