"""Buffers and body relays on socketpairs: framing, incremental delivery, limits, splice."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from seawall.authz.proxy.http1 import FramingError
from seawall.authz.proxy.relay import (
    copy_chunked,
    copy_length,
    copy_until_close,
    read_chunked,
    splice,
)
from seawall.authz.proxy.stream import PeerGone, Pipe, Reader, send_parts


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    a.settimeout(5)
    b.settimeout(5)
    yield a, b
    a.close()
    b.close()


def _drain(sock: socket.socket) -> bytes:
    out = bytearray()
    while data := sock.recv(65536):
        out += data
    return bytes(out)


def test_read_head_across_fills_and_limits(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r = Reader(b, size=1024)

    def feed() -> None:
        for piece in (b"GET / HTTP/1.1\r", b"\nHost: d\r\n\r", b"\nrest"):
            a.sendall(piece)
            time.sleep(0.02)

    threading.Thread(target=feed).start()
    assert r.read_head(512) == b"GET / HTTP/1.1\r\nHost: d\r\n\r\n"
    assert r.read_exact(4) == b"rest"
    a.sendall(b"X" * 600)
    with pytest.raises(FramingError) as err:
        r.read_head(512)
    assert err.value.status == 431


def test_clean_eof_and_truncated_head(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    a.sendall(b"GET / HT")
    a.shutdown(socket.SHUT_WR)
    r = Reader(b)
    with pytest.raises(EOFError):
        r.read_head(1024)
    c, d = socket.socketpair()
    c.close()
    assert Reader(d).read_head(1024) is None
    d.close()


def test_idle_timeout(pair: tuple[socket.socket, socket.socket]) -> None:
    r = Reader(pair[1])
    r.timeout = 0.05
    with pytest.raises(TimeoutError):
        r.read_head(1024)


def test_watch_notices_the_client_hang_up(pair: tuple[socket.socket, socket.socket]) -> None:
    _up_a, up_b = pair
    cl_a, cl_b = socket.socketpair()
    r = Reader(up_b)
    r.watch = cl_b
    threading.Timer(0.05, cl_a.close).start()
    with pytest.raises(PeerGone):
        r.fill()
    cl_b.close()


def test_watch_tolerates_pipelined_data(pair: tuple[socket.socket, socket.socket]) -> None:
    up_a, up_b = pair
    cl_a, cl_b = socket.socketpair()
    r = Reader(up_b)
    r.watch = cl_b
    cl_a.sendall(b"GET /next HTTP/1.1\r\n")
    threading.Timer(0.1, lambda: up_a.sendall(b"answer")).start()
    assert r.fill() == 6 and r.watch is None
    assert cl_b.recv(100).startswith(b"GET /next")  # still queued for the next request
    cl_a.close()
    cl_b.close()


def test_read_chunked_dechunks_and_limits(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    a.sendall(b"3\r\nabc\r\n0A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT")
    r = Reader(b)
    assert read_chunked(r, 100) == b"abc0123456789"
    assert r.read_exact(4) == b"NEXT"
    a.sendall(b"5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n")
    with pytest.raises(FramingError) as err:
        read_chunked(r, 8)
    assert err.value.status == 413


@pytest.mark.parametrize(
    "body",
    [
        b"3\r\nabcd\r\n0\r\n\r\n",  # data longer than its size
        b"3;ext=1\r\nabc\r\n0\r\n\r\n",  # chunk extension
        b"3\nabc\r\n0\r\n\r\n",  # bare LF after the size
        b" 3\r\nabc\r\n0\r\n\r\n",  # whitespace before the size
        b"3\r\nabc\r\n0\r\nBad Trailer\r\n\r\n",  # malformed trailer
    ],
)
def test_bad_chunked_bodies(pair: tuple[socket.socket, socket.socket], body: bytes) -> None:
    a, b = pair
    a.sendall(body)
    a.shutdown(socket.SHUT_WR)
    with pytest.raises((FramingError, EOFError)):
        read_chunked(Reader(b), 100)


def test_copy_chunked_reserialises_and_forwards_trailers() -> None:
    src_a, src_b = socket.socketpair()
    dst_a, dst_b = socket.socketpair()
    src_a.sendall(b"0003\r\nabc\r\n1\r\nd\r\n0\r\nX-T: 1\r\n\r\n")
    copy_chunked(Reader(src_b), dst_a, trailers=True, prefix=b"HEAD")
    dst_a.close()
    assert _drain(dst_b) == b"HEAD3\r\nabc\r\n1\r\nd\r\n0\r\nX-T: 1\r\n\r\n"
    for s in (src_a, src_b, dst_b):
        s.close()


def test_copy_chunked_delivers_each_chunk_as_it_comes() -> None:
    src_a, src_b = socket.socketpair()
    dst_a, dst_b = socket.socketpair()
    dst_b.settimeout(5)
    t = threading.Thread(
        target=copy_chunked, args=(Reader(src_b), dst_a), kwargs={"trailers": False}
    )
    t.start()
    got = bytearray()
    for i in range(3):
        event = b'{"n":%d}\n' % i
        src_a.sendall(b"%x\r\n%s\r\n" % (len(event), event))
        want = b"%x\r\n%s\r\n" % (len(event), event)
        while not got.endswith(want):  # arrives before the next chunk is even sent
            got += dst_b.recv(65536)
    src_a.sendall(b"0\r\n\r\n")
    t.join(5)
    assert not t.is_alive()
    for s in (src_a, src_b, dst_a, dst_b):
        s.close()


@pytest.mark.parametrize("spliced", [False, True])
def test_copy_length_large_and_until_close(spliced: bool) -> None:
    payload = bytes(range(256)) * 8192  # 2 MiB, more than one buffer
    src_a, src_b = socket.socketpair()
    dst_a, dst_b = socket.socketpair()
    out = bytearray()
    reader = threading.Thread(target=lambda: out.extend(_drain(dst_b)))
    reader.start()

    def write() -> None:
        src_a.sendall(payload + payload)
        src_a.close()

    writer = threading.Thread(target=write)
    writer.start()
    r = Reader(src_b)
    pipe = Pipe() if spliced else None
    copy_length(r, dst_a, len(payload), prefix=b"H", pipe=pipe)
    copy_until_close(r, dst_a, prefix=b"T", pipe=pipe)
    if pipe is not None:
        pipe.close()
    dst_a.close()
    reader.join(5)
    writer.join(5)
    assert bytes(out) == b"H" + payload + b"T" + payload
    src_b.close()


def test_send_parts_handles_partial_writes() -> None:
    a, b = socket.socketpair()
    parts: list[bytes | memoryview] = [b"x" * 300_000, memoryview(b"y" * 10), b"z" * 500_000]
    out = bytearray()
    t = threading.Thread(target=lambda: out.extend(_drain(b)))
    t.start()
    send_parts(a, parts)
    a.close()
    t.join(5)
    assert bytes(out) == b"x" * 300_000 + b"y" * 10 + b"z" * 500_000
    b.close()


def test_splice_passes_half_close_both_ways() -> None:
    client_outer, client_inner = socket.socketpair()
    up_inner, up_outer = socket.socketpair()
    client_outer.sendall(b"early")  # already buffered by the proxy before the splice
    client = Reader(client_inner)
    client.fill()
    t = threading.Thread(target=splice, args=(client, Reader(up_inner)))
    t.start()
    up_outer.settimeout(5)
    client_outer.settimeout(5)
    assert up_outer.recv(100) == b"early"
    client_outer.sendall(b"stdin")
    assert up_outer.recv(100) == b"stdin"
    client_outer.shutdown(socket.SHUT_WR)  # docker attach: stdin is finished
    assert up_outer.recv(100) == b""  # the engine sees the half-close
    up_outer.sendall(b"output after stdin closed")
    assert client_outer.recv(100) == b"output after stdin closed"
    up_outer.close()
    assert client_outer.recv(100) == b""
    t.join(5)
    assert not t.is_alive()
    client_outer.close()


def test_spliced_body_stops_at_its_length() -> None:
    """A spliced Content-Length body never swallows the bytes of the next message."""
    src_a, src_b = socket.socketpair()
    dst_a, dst_b = socket.socketpair()
    body = b"b" * 100_000
    out = bytearray()
    t = threading.Thread(target=lambda: out.extend(_drain(dst_b)))
    t.start()
    src_a.sendall(body + b"NEXT REQUEST")
    r = Reader(src_b)
    pipe = Pipe()
    copy_length(r, dst_a, len(body), pipe=pipe)
    dst_a.close()
    t.join(5)
    assert bytes(out) == body
    assert r.read_exact(12) == b"NEXT REQUEST"
    pipe.close()
    for s in (src_a, src_b):
        s.close()
