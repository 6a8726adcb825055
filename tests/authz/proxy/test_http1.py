"""Strict request and response heads: every ambiguous framing is refused."""

from __future__ import annotations

import pytest

from seawall.authz.proxy.http1 import (
    MAX_HEADERS,
    FramingError,
    parse_chunk_size,
    parse_request_head,
    parse_response_head,
)

GOOD = b"POST /v1.41/containers/create?name=x HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"

#: Request heads a proxy must not interpret (each is a known request-smuggling or parser-
#: differential trick), with the status the client gets.
SMUGGLING = {
    "cl-and-te": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
    "te-and-cl": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
    "duplicate-cl-same": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
    "duplicate-cl-differ": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    "cl-list": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 5, 5\r\n\r\n",
    "cl-plus": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: +5\r\n\r\n",
    "cl-negative": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: -1\r\n\r\n",
    "cl-hex": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 0x5\r\n\r\n",
    "cl-empty": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: \r\n\r\n",
    "cl-huge": b"POST / HTTP/1.1\r\nHost: d\r\nContent-Length: 1" + b"0" * 30 + b"\r\n\r\n",
    "te-identity": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: identity\r\n\r\n",
    "te-gzip-chunked": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    "te-chunked-chunked": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
    "te-twice": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
    "te-xchunked": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: xchunked\r\n\r\n",
    "te-space-colon": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding : chunked\r\n\r\n",
    "te-tab-name": b"POST / HTTP/1.1\r\nHost: d\r\n\tTransfer-Encoding: chunked\r\n\r\n",
    "te-obs-fold": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding:\r\n chunked\r\n\r\n",
    "obs-fold": b"GET / HTTP/1.1\r\nHost: d\r\nX-A: 1\r\n  continued\r\n\r\n",
    "te-vertical-tab": b"POST / HTTP/1.1\r\nHost: d\r\nTransfer-Encoding:\x0bchunked\r\n\r\n",
    "te-in-http10": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: d\r\n\r\n",
    "bare-lf-in-header": b"GET / HTTP/1.1\r\nHost: d\nX: y\r\n\r\n",
    "bare-cr": b"GET / HTTP/1.1\r\nHost: d\rX: y\r\n\r\n",
    "nul": b"GET / HTTP/1.1\r\nHost: d\x00\r\n\r\n",
    "no-host": b"GET / HTTP/1.1\r\nX: y\r\n\r\n",
    "two-hosts": b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "space-in-target": b"GET /a b HTTP/1.1\r\nHost: d\r\n\r\n",
    "absolute-form": b"GET http://evil/_ping HTTP/1.1\r\nHost: d\r\n\r\n",
    "asterisk": b"OPTIONS * HTTP/1.1\r\nHost: d\r\n\r\n",
    "http2": b"GET / HTTP/2.0\r\nHost: d\r\n\r\n",
    "http09": b"GET /\r\n\r\n",
    "lowercase-version": b"GET / http/1.1\r\nHost: d\r\n\r\n",
    "double-space": b"GET  / HTTP/1.1\r\nHost: d\r\n\r\n",
    "non-token-method": b"G(T / HTTP/1.1\r\nHost: d\r\n\r\n",
    "non-token-name": b"GET / HTTP/1.1\r\nHost: d\r\nX(y): 1\r\n\r\n",
    "empty-name": b"GET / HTTP/1.1\r\nHost: d\r\n: 1\r\n\r\n",
    "ctl-in-value": b"GET / HTTP/1.1\r\nHost: d\r\nX: a\x01b\r\n\r\n",
    "leading-empty-line": b"\r\nGET / HTTP/1.1\r\nHost: d\r\n\r\n",
    "expect-other": b"GET / HTTP/1.1\r\nHost: d\r\nExpect: 200-ok\r\n\r\n",
    "too-many-headers": b"GET / HTTP/1.1\r\nHost: d\r\n"
    + b"".join(b"X-%d: 1\r\n" % i for i in range(MAX_HEADERS + 1))
    + b"\r\n",
}


@pytest.mark.parametrize("name", sorted(SMUGGLING))
def test_ambiguous_heads_are_refused(name: str) -> None:
    with pytest.raises(FramingError) as err:
        parse_request_head(SMUGGLING[name])
    assert err.value.status in (400, 417, 431)


def test_good_head() -> None:
    head = parse_request_head(GOOD)
    assert (head.method, head.target, head.version) == (
        "POST",
        "/v1.41/containers/create?name=x",
        "1.1",
    )
    assert head.content_length == 2 and not head.chunked and head.keep_alive and head.has_body
    assert head.get("content-type") == "application/json"
    assert head.upgrade is None and not head.expect_continue


def test_chunked_upgrade_close_and_values() -> None:
    head = parse_request_head(
        b"POST /exec/abc/start HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: Chunked\r\n"
        b"Connection: Upgrade, close\r\nUpgrade: tcp\r\nX-Tab:\tv a l\t \r\nX-Latin: \xe9t\xe9\r\n"
        b"Expect: 100-continue\r\n\r\n"
    )
    assert head.chunked and head.content_length is None and head.has_body
    assert head.upgrade == "tcp" and not head.keep_alive and head.expect_continue
    assert head.get("x-tab") == "v a l"
    assert head.get("X-LATIN") == "\xe9t\xe9"


def test_http10_keep_alive_only_when_asked() -> None:
    assert not parse_request_head(b"GET / HTTP/1.0\r\n\r\n").keep_alive
    assert parse_request_head(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive


def test_response_heads() -> None:
    r = parse_response_head(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    assert r.chunked and r.content_length is None and not r.close and r.status == 200
    r = parse_response_head(b"HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
    assert r.status == 101
    r = parse_response_head(b"HTTP/1.0 200 OK\r\n\r\n")
    assert r.close and r.content_length is None
    r = parse_response_head(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
    assert r.close
    for bad in (
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\nX: y\r\n\r\n",
    ):
        with pytest.raises(FramingError):
            parse_response_head(bad)


@pytest.mark.parametrize(
    ("line", "size"), [(b"0", 0), (b"1a", 26), (b"FFFF", 65535), (b"0000000000000010", 16)]
)
def test_chunk_sizes(line: bytes, size: int) -> None:
    assert parse_chunk_size(line) == size


@pytest.mark.parametrize(
    "line", [b"", b" 1", b"1 ", b"1;ext=1", b"-1", b"0x1", b"g", b"1" * 17, b"+1", b"1\r"]
)
def test_bad_chunk_sizes(line: bytes) -> None:
    with pytest.raises(FramingError):
        parse_chunk_size(line)
