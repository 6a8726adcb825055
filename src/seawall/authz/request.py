"""Turn a raw Engine API request line into the ``ApiRequest`` the decision works on.

The point is to see the request exactly as the engine will act on it (dockerd 20.10: Go
``net/http``, gorilla/mux, moby's versioned routes), and to refuse whatever the engine could
read differently from us:

* the path is URL-decoded once, like Go's ``url.URL.Path`` that gorilla matches on; ``//`` runs
  are collapsed and one trailing ``/`` is dropped; ``.``/``..`` segments are refused (gorilla
  answers those with a redirect, so a legitimate client never sends them);
* ``/v1.41/...`` is split into the API version and the path, as moby's ``/v{version:[0-9.]+}``
  route prefix does;
* the query is parsed like Go's ``url.ParseQuery`` and each key keeps its first value (what
  ``url.Values.Get`` and so the engine return); ``;`` separators and bad escapes, which Go
  reports as errors or silently drops, are refused;
* a form-encoded or multipart body is refused: Go's ``Request.ParseForm`` puts the fields of an
  ``application/x-www-form-urlencoded`` body *before* the query's in ``r.Form`` (measured on
  dockerd 20.10: ``POST /containers/X/restart?t=1`` with the body ``t=fromBody`` acts on
  ``fromBody``), and ``FormValue`` (used by ``/build``) also reads multipart fields, so the
  query we judged would not be the one the engine reads.

``normalise`` raises ``RequestRejected`` (never anything else) naming the guard that refused.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from urllib.parse import unquote_to_bytes

from seawall.authz.model import ApiRequest

#: Content types whose body Go's form parsing merges into the query parameters.
FORM_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

_METHOD = re.compile(r"[A-Za-z]{1,32}")
# moby: versionMatcher = "/v{version:[0-9.]+}"
_VERSION_SEGMENT = re.compile(r"v[0-9.]+")
_VERSION = re.compile(r"([0-9]{1,6})\.([0-9]{1,6})")
# a "%" not followed by two hex digits (Go's unescape refuses it)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SLASHES = re.compile(r"/{2,}")
_SHOW = 80


class RequestRejected(Exception):
    """A request the normaliser refuses: ambiguous, malformed or not what the engine would see.

    ``guard`` names the built-in guard for the decision log (``guard:method``, ``guard:path``,
    ``guard:version``, ``guard:query``, ``guard:form-body``); ``reason`` is one line naming the
    problem, with any echoed input truncated.
    """

    def __init__(self, guard: str, reason: str) -> None:
        super().__init__(f"{guard}: {reason}")
        self.guard = guard
        self.reason = reason


def show(text: str) -> str:
    """``repr`` of ``text`` cut to about 80 characters, for error messages."""
    if len(text) <= _SHOW:
        return repr(text)
    return repr(text[:_SHOW]) + f"... ({len(text)} characters)"


def normalise(
    method: str,
    raw_uri: str,
    *,
    body: bytes | None,
    body_sent: bool,
    content_type: str = "",
) -> ApiRequest:
    """Normalise one request; raise ``RequestRejected`` for anything the engine could misread.

    ``raw_uri`` is the HTTP request-target as sent (origin-form, ``/v1.41/containers/json?all=1``).
    ``body`` is ``None`` when the edge did not see a body that was sent.
    """
    verb = _method(method)
    _check_target(raw_uri)
    raw_path, _, raw_query = raw_uri.partition("?")
    version, path = split_version(decode_path(raw_path))
    query = parse_query(raw_query)
    _check_form_body(content_type, body, body_sent)
    return ApiRequest(
        method=verb,
        path=path,
        version=version,
        query=MappingProxyType(query),
        body=body,
        body_sent=body_sent,
        content_type=content_type,
        raw_uri=raw_uri,
    )


def _method(method: str) -> str:
    if not _METHOD.fullmatch(method):
        raise RequestRejected("guard:method", f"not an HTTP method: {show(method)}")
    return method.upper()


def _check_target(raw_uri: str) -> None:
    if not raw_uri:
        raise RequestRejected("guard:path", "empty request target")
    if not raw_uri.startswith("/"):
        # absolute-form ("http://host/...") and asterisk-form ("*") are not what a client of
        # a local API sends; only origin-form is accepted
        raise RequestRejected(
            "guard:path", f"request target must be an absolute path: {show(raw_uri)}"
        )
    if "#" in raw_uri:
        raise RequestRejected("guard:path", f"fragment in request target: {show(raw_uri)}")
    for ch in raw_uri:
        if not "!" <= ch <= "~":
            raise RequestRejected(
                "guard:path",
                f"raw control, space or non-ASCII character {ch!r} in request target "
                f"(clients must percent-encode): {show(raw_uri)}",
            )


def decode_path(raw_path: str) -> str:
    """Percent-decode the path once, collapse ``//``, drop one trailing ``/``; refuse dot segments.

    Raises ``RequestRejected`` (``guard:path``) for invalid escapes, non-UTF-8 or control
    characters after decoding, and ``.``/``..`` segments (literal or encoded).
    """
    if "%" in raw_path:
        if _BAD_ESCAPE.search(raw_path):
            raise RequestRejected("guard:path", f"invalid percent-escape in path {show(raw_path)}")
        try:
            path = unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            raise RequestRejected(
                "guard:path", f"path does not decode to UTF-8: {show(raw_path)}"
            ) from None
        for ch in path:
            if unicodedata.category(ch) == "Cc":
                raise RequestRejected(
                    "guard:path",
                    f"control character {ch!r} in decoded path {show(raw_path)}",
                )
    else:
        path = raw_path
    path = _SLASHES.sub("/", path)
    if any(seg in (".", "..") for seg in path.split("/")):
        raise RequestRejected("guard:path", f"'.' or '..' segment in path {show(raw_path)}")
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path


def split_version(path: str) -> tuple[str | None, str]:
    """Split ``/v1.41/rest`` into ``("1.41", "/rest")``; unversioned paths give ``(None, path)``.

    The first segment is a version when it matches moby's ``v[0-9.]+``; it must then be
    ``digits.digits`` (returned without leading zeros, as the engine compares numerically) and
    be followed by more path, else ``RequestRejected`` (``guard:version`` / ``guard:path``).
    """
    first, slash, _ = path[1:].partition("/")
    if not _VERSION_SEGMENT.fullmatch(first):
        return None, path
    found = _VERSION.fullmatch(first[1:])
    if found is None:
        raise RequestRejected("guard:version", f"malformed API version {show(first)}")
    rest = path[1 + len(first) :]
    if not slash or not rest.startswith("/") or rest == "/":
        raise RequestRejected("guard:path", f"nothing after the API version in {show(path)}")
    return f"{int(found.group(1))}.{int(found.group(2))}", rest


def parse_query(raw_query: str) -> dict[str, str]:
    """Parse a query like Go's ``url.ParseQuery`` and keep each key's first value.

    ``&`` separates pairs, ``+`` is a space, escapes are decoded once; keys are
    case-sensitive. A ``;`` (Go 1.17+ drops such pairs with an error), an invalid escape or a
    non-UTF-8 result raise ``RequestRejected`` (``guard:query``).
    """
    if ";" in raw_query:
        raise RequestRejected("guard:query", f"';' in query {show(raw_query)}")
    if _BAD_ESCAPE.search(raw_query):
        raise RequestRejected("guard:query", f"invalid percent-escape in query {show(raw_query)}")
    out: dict[str, str] = {}
    for pair in raw_query.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        out.setdefault(_query_unescape(key, raw_query), _query_unescape(value, raw_query))
    return out


def _query_unescape(text: str, raw_query: str) -> str:
    if "%" not in text and "+" not in text:
        return text
    try:
        return unquote_to_bytes(text.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRejected(
            "guard:query", f"query does not decode to UTF-8: {show(raw_query)}"
        ) from None


def media_type(content_type: str) -> str:
    """The media type of a Content-Type value, as Go's ``mime.ParseMediaType`` reads it."""
    return content_type.partition(";")[0].strip().lower()


def _check_form_body(content_type: str, body: bytes | None, body_sent: bool) -> None:
    # an empty body is harmless; a non-empty one, or one sent but not seen, is refused
    has_body = bool(body) if body is not None else body_sent
    if has_body and media_type(content_type) in FORM_MEDIA_TYPES:
        raise RequestRejected(
            "guard:form-body",
            f"a {media_type(content_type)} body would override the query parameters "
            "(the engine merges form fields ahead of the query); send no form body",
        )
