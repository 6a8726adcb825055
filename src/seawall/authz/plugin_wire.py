"""The Docker AuthZ plugin wire format: what the engine sends and what a plugin answers.

Field names follow moby's ``pkg/authorization/api.go`` (the prose docs spell some differently):
``User``, ``UserAuthNMethod``, ``RequestMethod``, ``RequestUri``, ``RequestBody`` (a Go
``[]byte``, so base64 in JSON, omitted when empty), ``RequestHeaders`` (``map[string]string``
with Go's canonical header names, one value per name, the ``Authorization`` and
``X-Registry-*`` headers left out), ``RequestPeerCertificates`` (PEM strings),
``ResponseStatusCode``, ``ResponseBody`` and ``ResponseHeaders``. The answer is
``{"Allow": bool, "Msg": str, "Err": str}``; the engine shows ``Msg`` to the client on a deny
and ignores ``Err`` (it is still set on errors, for plugin-side readers, and never holds a
secret).

What the engine forwards, per moby's ``pkg/authorization/authz.go``: the request body only when
its ``Content-Type`` is JSON, it is smaller than 1 MiB (recent engines also require a declared
``Content-Length`` above 0; dockerd 20.10 forwards a small chunked body too), and the URI does
not end in ``/auth``. Go's HTTP server removes ``Transfer-Encoding`` from the headers it keeps
(and ``Content-Length`` when the body is chunked), so a chunked body reaches the plugin as a
POST with neither header. ``body_sent`` therefore treats a POST/PUT/PATCH without a
``Content-Length`` as carrying a body, seen or not (a 1 MiB JSON body arrives with its
``Content-Length`` and no ``RequestBody``).

Parsing here is pure and strict: any deviation raises ``WireError``, which the server turns
into a deny (never a crash).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: The Content-Type plugins answer with (the engine sends ``...v1.2+json`` and does not check
#: the answer's type; this is the one the plugin API docs give for plugin responses).
CONTENT_TYPE = "application/vnd.docker.plugins.v1+json"

ACTIVATE = "/Plugin.Activate"
AUTHZ_REQUEST = "/AuthZPlugin.AuthZReq"
AUTHZ_RESPONSE = "/AuthZPlugin.AuthZRes"

#: Methods whose requests the engine reads a body from; without a Content-Length they may
#: still carry a (chunked) body the plugin never sees.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

_EMPTY: Mapping[str, str] = MappingProxyType({})


class WireError(ValueError):
    """The engine's JSON is not what the AuthZ protocol says; the request is denied."""


@dataclass(frozen=True, slots=True)
class WireRequest:
    """One ``AuthZReq``/``AuthZRes`` call from the engine, decoded.

    ``body`` is ``None`` when the engine forwarded no body (absent or ``null``), else the
    decoded bytes. ``headers`` keeps the engine's names; look them up with ``header``.
    ``peer_certificates`` are the client's PEM certificates (not used for decisions: the engine
    has already verified them and put the first one's CN in ``user``).
    """

    method: str
    uri: str
    user: str = ""
    authn_method: str = ""
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    peer_certificates: tuple[str, ...] = ()
    response_status: int = 0

    def header(self, name: str) -> str | None:
        """The value of header ``name``, matched case-insensitively; ``None`` when absent.

        Raises ``WireError`` when two entries differ only in case: which one the engine acted
        on cannot be known.
        """
        wanted = name.lower()
        found = [v for k, v in self.headers.items() if k.lower() == wanted]
        if len(found) > 1:
            raise WireError(f"header {name} given more than once")
        return found[0] if found else None

    @property
    def content_type(self) -> str:
        """The request's Content-Type header ("" when absent)."""
        return self.header("Content-Type") or ""

    @property
    def body_sent(self) -> bool:
        """Whether the caller sent a request body, seen by the plugin or not.

        True for a positive or unparsable ``Content-Length``, any ``Transfer-Encoding``, and a
        POST/PUT/PATCH with no ``Content-Length`` at all (Go strips the headers of a chunked
        body; Go and Python clients send ``Content-Length: 0`` for an empty POST).
        """
        length = self.header("Content-Length")
        if self.header("Transfer-Encoding") is not None:
            return True
        if length is None:
            return self.method.upper() in BODY_METHODS
        stripped = length.strip()
        return not (stripped.isascii() and stripped.isdigit() and int(stripped) == 0)


def _object(raw: bytes) -> dict[str, Any]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise WireError(f"duplicate field {key!r}")
            out[key] = value
        return out

    try:
        doc = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"not valid JSON: {exc.__class__.__name__}") from None
    if not isinstance(doc, dict):
        raise WireError("not a JSON object")
    return doc


def _string(doc: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = doc.get(key)
    if value is None:
        if required:
            raise WireError(f"{key} is missing")
        return ""
    if not isinstance(value, str):
        raise WireError(f"{key} is not a string")
    if required and not value:
        raise WireError(f"{key} is empty")
    return value


def _bytes(doc: Mapping[str, Any], key: str) -> bytes | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WireError(f"{key} is not a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WireError(f"{key} is not valid base64") from None


def _headers(doc: Mapping[str, Any], key: str) -> Mapping[str, str]:
    value = doc.get(key)
    if value is None:
        return _EMPTY
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise WireError(f"{key} is not a map of strings")
    return MappingProxyType(dict(value))


def parse_wire_request(raw: bytes) -> WireRequest:
    """Decode one ``AuthZReq``/``AuthZRes`` body; raise ``WireError`` on anything unexpected.

    Unknown fields are ignored (newer engines may add some); known fields must have their Go
    types. ``RequestMethod`` and ``RequestUri`` must be present and non-empty.
    """
    doc = _object(raw)
    certs = doc.get("RequestPeerCertificates")
    if certs is None:
        certs = []
    if not isinstance(certs, list) or not all(isinstance(c, str) for c in certs):
        raise WireError("RequestPeerCertificates is not a list of PEM strings")
    status = doc.get("ResponseStatusCode", 0)
    if status is None:
        status = 0
    if isinstance(status, bool) or not isinstance(status, int):
        raise WireError("ResponseStatusCode is not an integer")
    return WireRequest(
        method=_string(doc, "RequestMethod", required=True),
        uri=_string(doc, "RequestUri", required=True),
        user=_string(doc, "User"),
        authn_method=_string(doc, "UserAuthNMethod"),
        body=_bytes(doc, "RequestBody"),
        headers=_headers(doc, "RequestHeaders"),
        peer_certificates=tuple(certs),
        response_status=status,
    )


def authz_answer(allow: bool, msg: str = "", err: str = "") -> bytes:
    """The JSON answer to an ``AuthZReq``/``AuthZRes`` call."""
    return json.dumps({"Allow": allow, "Msg": msg, "Err": err}).encode()


def activate_answer() -> bytes:
    """The JSON answer to ``/Plugin.Activate``: this plugin implements ``authz``."""
    return json.dumps({"Implements": ["authz"]}).encode()


def error_answer(err: str) -> bytes:
    """A JSON error body (for unknown endpoints), in the shape the engine's client reads."""
    return json.dumps({"Err": err}).encode()
