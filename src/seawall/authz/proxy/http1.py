"""Strict HTTP/1.1 message heads for the socket proxy (RFC 9112), parsed once and judged.

A proxy that reads a request differently from the engine behind it can be smuggled past:
the proxy judges one request while the engine executes another. So anything ambiguous is
refused instead of being repaired: bare CR or LF, NUL, obs-fold continuation lines, header
names that are not tokens, whitespace before the colon, both ``Content-Length`` and
``Transfer-Encoding``, a repeated or non-numeric ``Content-Length``, any transfer coding other
than exactly ``chunked``, a repeated ``Host``, and heads past the size and count limits.
Responses from the engine are parsed with the same grammar (Go's net/http writes clean heads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Largest request or response head (request line + headers) accepted, in bytes. The docker
#: CLI's biggest header is X-Registry-Config on builds (every configured registry's auth).
MAX_HEAD = 128 * 1024
#: Most header fields accepted in one head (trailers included).
MAX_HEADERS = 128
#: Longest chunk-size line (``ffffffff`` + CRLF is 10; a little room, no extensions).
MAX_CHUNK_LINE = 64

# RFC 9110 5.6.2: token = 1*tchar.
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([\x21-\x7e]+) HTTP/(1\.[01])")
_STATUS_LINE = re.compile(rb"HTTP/(1\.[01]) ([1-9][0-9][0-9]) ([\t\x20-\x7e\x80-\xff]*)")
# field-line = field-name ":" OWS field-value OWS; the value holds no CTLs but HTAB.
_FIELD = re.compile(
    rb"("
    + _TOKEN
    + rb"):[ \t]*((?:[\x21-\x7e\x80-\xff](?:[ \t\x21-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?)[ \t]*"
)
_DIGITS = re.compile(rb"[0-9]{1,18}")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")

#: Headers that describe one hop, not the message: never forwarded as they came.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "expect",
    }
)


class FramingError(Exception):
    """A message the proxy refuses to interpret; ``status`` is what the client is answered."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RequestHead:
    """A parsed request head and its framing.

    ``target`` is the request-target exactly as sent (origin form); ``headers`` keeps every
    field in order with the name as sent and the value trimmed. ``content_length`` is ``None``
    when absent; ``chunked`` when the body is chunked; ``upgrade`` is the ``Upgrade`` value of
    a request that asks to switch protocols (attach, exec start).
    """

    method: str
    target: str
    version: str
    headers: Headers
    content_length: int | None
    chunked: bool
    keep_alive: bool
    upgrade: str | None
    expect_continue: bool

    @property
    def has_body(self) -> bool:
        """True when the request carries body bytes (a chunked body may still be empty)."""
        return self.chunked or bool(self.content_length)

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """A parsed response head; ``raw`` is forwarded to the client unchanged."""

    version: str
    status: int
    headers: Headers
    raw: bytes
    content_length: int | None
    chunked: bool
    close: bool

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return None


def _lines(raw: bytes) -> list[bytes]:
    """Split a head ending in CRLF CRLF into lines, refusing bare CR, bare LF and NUL."""
    if not raw.endswith(b"\r\n\r\n"):
        raise FramingError("head does not end with CRLF CRLF")
    if len(raw) > MAX_HEAD:
        raise FramingError("head too large", 431)
    if b"\x00" in raw:
        raise FramingError("NUL byte in head")
    crlf = raw.count(b"\r\n")
    if raw.count(b"\r") != crlf or raw.count(b"\n") != crlf:
        raise FramingError("bare CR or LF in head")
    return raw[:-4].split(b"\r\n")


def parse_fields(lines: list[bytes]) -> Headers:
    """Parse header field lines strictly (no obs-fold, token names, no space before the colon)."""
    if len(lines) > MAX_HEADERS:
        raise FramingError("too many header fields", 431)
    out = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            raise FramingError("obsolete line folding in header")
        m = _FIELD.fullmatch(line)
        if m is None:
            raise FramingError("malformed header field")
        out.append((m.group(1).decode("ascii"), m.group(2).decode("latin-1")))
    return tuple(out)


def _all(headers: Headers, lname: str) -> list[str]:
    return [v for k, v in headers if k.lower() == lname]


def _tokens(values: list[str]) -> set[str]:
    return {t.strip().lower() for v in values for t in v.split(",") if t.strip()}


def _content_length(headers: Headers) -> int | None:
    values = _all(headers, "content-length")
    if not values:
        return None
    if len(values) > 1:
        raise FramingError("duplicate Content-Length")
    if _DIGITS.fullmatch(values[0].encode("latin-1")) is None:
        raise FramingError("Content-Length is not a plain decimal number")
    return int(values[0])


def _chunked(headers: Headers) -> bool:
    values = _all(headers, "transfer-encoding")
    if not values:
        return False
    if len(values) > 1 or values[0].lower() != "chunked":
        raise FramingError('Transfer-Encoding other than exactly "chunked"')
    return True


def parse_request_head(raw: bytes) -> RequestHead:
    """Parse and validate a request head (``raw`` ends with CRLF CRLF); FramingError if refused."""
    lines = _lines(raw)
    m = _REQUEST_LINE.fullmatch(lines[0])
    if m is None:
        raise FramingError("malformed request line")
    method, target, version = (g.decode("ascii") for g in m.groups())
    if not target.startswith("/"):
        raise FramingError("request target must be an absolute path (origin form)")
    headers = parse_fields(lines[1:])
    length = _content_length(headers)
    chunked = _chunked(headers)
    if chunked and length is not None:
        raise FramingError("both Content-Length and Transfer-Encoding")
    if chunked and version == "1.0":
        raise FramingError("chunked body in an HTTP/1.0 request")
    hosts = _all(headers, "host")
    if len(hosts) > 1 or (version == "1.1" and not hosts):
        raise FramingError("an HTTP/1.1 request needs exactly one Host header")
    connection = _tokens(_all(headers, "connection"))
    keep_alive = "close" not in connection and (version == "1.1" or "keep-alive" in connection)
    upgrade = None
    if "upgrade" in connection:
        upgrades = _all(headers, "upgrade")
        if len(upgrades) > 1:
            raise FramingError("duplicate Upgrade header")
        upgrade = upgrades[0] if upgrades else None
    expect = [v.lower() for v in _all(headers, "expect")]
    if any(v != "100-continue" for v in expect):
        raise FramingError("unsupported Expect", 417)
    return RequestHead(
        method=method,
        target=target,
        version=version,
        headers=headers,
        content_length=length,
        chunked=chunked,
        keep_alive=keep_alive,
        upgrade=upgrade,
        expect_continue=bool(expect),
    )


def parse_response_head(raw: bytes) -> ResponseHead:
    """Parse a response head from the engine; FramingError when it is not clean HTTP/1.1."""
    lines = _lines(raw)
    m = _STATUS_LINE.fullmatch(lines[0])
    if m is None:
        raise FramingError("malformed status line from upstream")
    headers = parse_fields(lines[1:])
    chunked = False
    te = _all(headers, "transfer-encoding")
    if te:
        codings = [t.strip().lower() for v in te for t in v.split(",")]
        if codings[-1] != "chunked" or len(codings) > 1:
            raise FramingError("unsupported Transfer-Encoding from upstream")
        chunked = True
    length = None if chunked else _content_length(headers)
    version = m.group(1).decode("ascii")
    connection = _tokens(_all(headers, "connection"))
    close = "close" in connection or (version == "1.0" and "keep-alive" not in connection)
    return ResponseHead(
        version=version,
        status=int(m.group(2)),
        headers=headers,
        raw=raw,
        content_length=length,
        chunked=chunked,
        close=close,
    )


def parse_chunk_size(line: bytes) -> int:
    """The size on a chunk-size line (``line`` without its CRLF); no extensions, no spaces."""
    if _HEX.fullmatch(line) is None:
        raise FramingError("malformed chunk size line")
    return int(line, 16)
