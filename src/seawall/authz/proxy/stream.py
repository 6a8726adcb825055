"""A receive buffer over a socket, and scatter-gather sends: the proxy's only byte plumbing.

Every socket the proxy reads gets one ``Reader`` with a large buffer (256 KiB): heads and chunk
lines are found in it with ``bytearray.find``, and bodies leave it as ``memoryview`` slices, so
no Python code ever walks a stream byte by byte. Views into the buffer are only valid until the
next ``fill`` (which may move the buffered bytes to the front), so relays always send what they
hold before they fill again.

A reader can ``watch`` a second socket while it waits: the proxy watches the client while it
waits for the engine, and gives up when the client has gone (as Go's server cancels a request
whose client hung up), so an abandoned ``docker events`` does not keep a thread and an engine
stream alive forever.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import socket
from collections.abc import Sequence

from seawall.authz.proxy.http1 import FramingError

#: Buffer size of every reader, and the most a single recv asks for.
BUFSIZE = 256 * 1024
#: Most pieces handed to one sendmsg (the kernel's IOV_MAX is 1024).
MAX_PARTS = 512
#: Capacity asked for the splice pipes (the default is 64 KiB; root may raise it to 1 MiB).
PIPE_SIZE = 1024 * 1024

_WATCH = select.POLLIN | select.POLLRDHUP | select.POLLHUP | select.POLLERR


class PeerGone(Exception):
    """The watched socket (the client) closed while the reader waited for data."""


class Reader:
    """Buffered reads from one socket; see the module docstring for the rules on views."""

    __slots__ = ("buf", "end", "sock", "start", "timeout", "view", "watch")

    def __init__(self, sock: socket.socket, size: int = BUFSIZE) -> None:
        self.sock = sock
        self.buf = bytearray(size)
        self.view = memoryview(self.buf)
        self.start = 0
        self.end = 0
        #: Seconds to wait for data before ``TimeoutError``; None waits forever.
        self.timeout: float | None = None
        #: A socket whose hang-up aborts a wait with ``PeerGone``.
        self.watch: socket.socket | None = None

    def pending(self) -> int:
        """Bytes buffered and not yet consumed."""
        return self.end - self.start

    def fill(self, most: int | None = None) -> int:
        """Receive more bytes (at most ``most``); 0 at end of stream. Invalidates views."""
        if self.start == self.end:
            self.start = self.end = 0
        elif self.end == len(self.buf):
            n = self.end - self.start
            self.view[:n] = self.view[self.start : self.end]
            self.start, self.end = 0, n
        if self.end == len(self.buf):
            raise FramingError("receive buffer full")
        if self.timeout is not None or self.watch is not None:
            self._wait()
        stop = len(self.buf) if most is None else min(len(self.buf), self.end + most)
        n = self.sock.recv_into(self.view[self.end : stop])
        self.end += n
        return n

    def splice_to(self, dst: socket.socket, n: int, pipe: Pipe) -> int:
        """Move up to ``n`` bytes from the socket (not the buffer, which must be empty) to
        ``dst`` through ``pipe``, waiting as ``fill`` does; 0 at end of stream."""
        if self.timeout is not None or self.watch is not None:
            self._wait()
        return pipe.move(self.sock, dst, n)

    def fill_or_eof(self) -> None:
        """``fill`` that turns an end of stream into ``EOFError``."""
        if self.fill() == 0:
            raise EOFError("connection closed in the middle of a message")

    def _wait(self) -> None:
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        watch = self.watch
        if watch is not None:
            poller.register(watch, _WATCH)
        timeout = None if self.timeout is None else self.timeout * 1000
        own = self.sock.fileno()
        while True:
            events = poller.poll(timeout)
            if not events:
                raise TimeoutError("idle timeout")
            ready = False
            for fd, _ in events:
                if fd == own:
                    ready = True
                elif watch is not None and _hung_up(watch):
                    raise PeerGone
                elif watch is not None:
                    # The client sent the next request early (pipelining): it is still there,
                    # and the data stays queued in its socket; stop watching it.
                    poller.unregister(watch)
                    self.watch = watch = None
            if ready:
                return

    def read_head(self, limit: int) -> bytes | None:
        """One head up to and including CRLF CRLF; None at a clean end of stream before it."""
        scanned = 0
        while True:
            i = self.buf.find(b"\r\n\r\n", self.start + scanned, self.end)
            if i >= 0:
                head = bytes(self.view[self.start : i + 4])
                self.start = i + 4
                return head
            if self.pending() >= limit:
                raise FramingError("head too large", 431)
            scanned = max(0, self.pending() - 3)
            if self.fill() == 0:
                if self.pending() == 0:
                    return None
                raise EOFError("connection closed in the middle of a head")

    def buffered_line(self, limit: int) -> bytes | None:
        """A CRLF-terminated line already buffered (without CRLF, consumed), else None."""
        i = self.buf.find(b"\n", self.start, self.end)
        if i < 0:
            if self.pending() > limit:
                raise FramingError("line too long")
            return None
        if i - self.start > limit or i == self.start or self.buf[i - 1] != 0x0D:
            raise FramingError("malformed line (bare LF or too long)")
        line = bytes(self.view[self.start : i - 1])
        self.start = i + 1
        return line

    def read_line(self, limit: int) -> bytes:
        """A CRLF-terminated line (without CRLF), filling as needed."""
        while True:
            line = self.buffered_line(limit)
            if line is not None:
                return line
            self.fill_or_eof()

    def take(self, n: int) -> memoryview:
        """Up to ``n`` buffered bytes as a view (consumed); empty when nothing is buffered."""
        k = min(n, self.end - self.start)
        mv = self.view[self.start : self.start + k]
        self.start += k
        return mv

    def read_exact(self, n: int) -> bytes:
        """Exactly ``n`` bytes, filling as needed; EOFError when the stream ends first."""
        out = bytearray()
        while len(out) < n:
            if self.pending() == 0:
                self.fill_or_eof()
            out += self.take(n - len(out))
        return bytes(out)


class Pipe:
    """A kernel pipe that moves bytes from socket to socket with splice(2), never into Python.

    Bulk bodies (image save and load, archives, hijacked streams) cross the proxy this way:
    no copy through user space, a fraction of the CPU of recv + send. Both sockets must be
    in blocking mode (the proxy's are; waits with a timeout or a watch poll first).
    """

    __slots__ = ("r", "w")

    def __init__(self) -> None:
        self.r, self.w = os.pipe2(os.O_CLOEXEC)
        with contextlib.suppress(OSError):  # a bigger pipe means fewer round trips
            fcntl.fcntl(self.w, fcntl.F_SETPIPE_SZ, PIPE_SIZE)

    def move(self, src: socket.socket, dst: socket.socket, n: int) -> int:
        """Move what ``src`` has (at most ``n`` bytes, at least one unless at its end) to ``dst``."""
        got = os.splice(src.fileno(), self.w, min(n, PIPE_SIZE))
        left = got
        while left:
            left -= os.splice(self.r, dst.fileno(), left)
        return got

    def close(self) -> None:
        """Close both ends."""
        for fd in (self.r, self.w):
            with contextlib.suppress(OSError):
                os.close(fd)


def _hung_up(sock: socket.socket) -> bool:
    """True when ``sock``'s peer has closed (or the socket failed); False when data waits."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def send_parts(sock: socket.socket, parts: Sequence[bytes | memoryview]) -> None:
    """Send every piece, in order, with as few system calls as the kernel allows."""
    if len(parts) == 1:
        sock.sendall(parts[0])
        return
    pending = list(parts)
    while pending:
        sent = sock.sendmsg(pending[:MAX_PARTS])
        i = 0
        while i < len(pending) and sent >= len(pending[i]):
            sent -= len(pending[i])
            i += 1
        pending = pending[i:]
        if sent:
            pending[0] = memoryview(pending[0])[sent:]
