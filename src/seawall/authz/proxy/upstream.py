"""Relaying the engine's answer to one forwarded request, by its framing.

``Content-Length`` bodies and chunked bodies are relayed as they arrive (chunk by chunk, so
``events``, ``logs -f`` and pull progress reach the client when the engine writes them); a
body framed by the end of the connection is relayed until then; ``HEAD``, ``204`` and ``304``
answers have none. A ``101 Switching Protocols``, or a ``200`` with a Docker raw or
multiplexed stream content type on an attach or exec start, hands the connection over to a
two-way splice: that is the only point where the proxy stops reading requests.
"""

from __future__ import annotations

from seawall.authz.proxy.http1 import MAX_HEAD, FramingError, RequestHead, parse_response_head
from seawall.authz.proxy.relay import copy_chunked, copy_length, copy_until_close, splice
from seawall.authz.proxy.stream import Pipe, Reader

#: Content types of the engine's hijacked attach / exec start streams.
RAW_STREAMS = frozenset(
    {"application/vnd.docker.raw-stream", "application/vnd.docker.multiplexed-stream"}
)


class UpstreamError(Exception):
    """The engine closed or answered garbage before any byte of an answer reached the client."""


def relay_response(
    up: Reader, client: Reader, head: RequestHead, *, hijack: bool, watch: bool, pipe: Pipe
) -> bool:
    """Relay the answer to ``head``; True when both connections can carry another request.

    ``watch`` makes waits for the engine give up when the client hangs up (not while a
    request body is still being streamed from the client by another thread).
    ``UpstreamError`` is raised only while nothing has been sent to the client yet.
    """
    up.timeout = None
    up.watch = client.sock if watch else None
    try:
        while True:
            try:
                raw = up.read_head(MAX_HEAD)
                if raw is None:
                    raise UpstreamError("the engine closed the connection without an answer")
                resp = parse_response_head(raw)
            except (FramingError, EOFError) as exc:
                raise UpstreamError(str(exc)) from None
            if resp.status == 101 or (
                hijack
                and resp.status == 200
                and (resp.get("content-type") or "").split(";")[0].strip().lower() in RAW_STREAMS
            ):
                client.sock.sendall(raw)
                splice(client, up)
                return False
            if resp.status < 200:
                client.sock.sendall(raw)  # an interim answer; the final one follows
                continue
            break
        if head.method == "HEAD" or resp.status in (204, 304):
            client.sock.sendall(raw)
        elif resp.chunked:
            copy_chunked(up, client.sock, trailers=True, prefix=raw)
        elif resp.content_length is not None:
            copy_length(up, client.sock, resp.content_length, prefix=raw, pipe=pipe)
        else:
            copy_until_close(up, client.sock, prefix=raw, pipe=pipe)
            return False
        return not resp.close
    finally:
        up.watch = None
