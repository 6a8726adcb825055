"""The HTTP transport of the ``registry:REF`` source: TLS policy, redirects, auth retry, errors.

HTTPS with certificate verification by default. A registry listed as insecure (``host:port``,
exactly as in the reference: ``127.0.0.1`` and ``localhost`` are not special) is tried over
HTTPS without verification and then over plain HTTP, as the Docker engine does; nothing else is
ever downgraded. Redirects (blob downloads are often sent to a storage service on another host)
are followed at most :data:`MAX_REDIRECTS` times, only to HTTPS or to an origin listed as
insecure, and the ``Authorization`` header is only ever sent to the registry's own origin.
Errors are one line naming the registry and repository; URLs in them lose their query string
(signed storage URLs carry credentials there) and known secrets are redacted.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import BinaryIO

import httpx

from seawall.image.registry_auth import Authorizer, RegistryAuth, parse_challenges
from seawall.image.walk import ImageError

#: Seconds: connecting, and waiting for each chunk of a response.
CONNECT_TIMEOUT = 15.0
READ_TIMEOUT = 60.0
MAX_REDIRECTS = 5
USER_AGENT = "seawall (registry source)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TLS_HINTS = ("SSL", "TLS", "CERTIFICATE", "WRONG_VERSION_NUMBER", "record layer")


def origin(url: str | httpx.URL) -> str:
    """``scheme://host:port`` with the default port spelled out, for same-origin checks."""
    u = httpx.URL(url) if isinstance(url, str) else url
    port = u.port or (443 if u.scheme == "https" else 80)
    return f"{u.scheme}://{u.host}:{port}"


def _hostport(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port else url.host


def _safe_url(url: httpx.URL) -> str:
    """A URL for messages: no query string, no user info."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))


class Transport:
    """GET requests to one registry (and where it redirects), answering 401 challenges once."""

    def __init__(
        self,
        registry: str,
        repository: str,
        *,
        insecure: tuple[str, ...],
        auth: RegistryAuth,
    ) -> None:
        self.registry = registry
        self.repository = repository
        self.describe = f"registry {registry}, repository {repository}"
        self._insecure = frozenset(_norm_host(h) for h in insecure)
        self._timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
        self._verified = httpx.Client(timeout=self._timeout, headers={"User-Agent": USER_AGENT})
        self._unverified: httpx.Client | None = None
        self._base: str | None = None
        self.auth = Authorizer(registry, auth, self.describe, self._client_for, self._plain_ok)

    # -- policy -----------------------------------------------------------------------------

    def _listed(self, url: httpx.URL) -> bool:
        host = _hostport(url).lower()
        default = 443 if url.scheme == "https" else 80
        return host in self._insecure or (
            url.port in (None, default) and url.host in self._insecure
        )

    def _plain_ok(self, url: str) -> bool:
        """A plain-HTTP token realm is fine when it, or the registry itself, is listed insecure.

        Listing the registry already exposes its credentials to whoever sits on the path (a
        man in the middle could rewrite the realm), so its realm gets the same trust.
        """
        return self._listed(httpx.URL(url)) or self.registry.lower() in self._insecure

    def _client_for(self, url: str | httpx.URL) -> httpx.Client:
        """Unverified TLS only towards origins the user listed as insecure."""
        u = httpx.URL(url) if isinstance(url, str) else url
        if not self._listed(u):
            return self._verified
        if self._unverified is None:
            self._unverified = httpx.Client(
                timeout=self._timeout,
                verify=False,  # noqa: S501 - only for registries the user listed as insecure
                headers={"User-Agent": USER_AGENT},
            )
        return self._unverified

    def base(self) -> str:
        """``https://registry`` or, for an insecure registry that does not speak TLS, ``http://``."""
        if self._base is not None:
            return self._base
        https = f"https://{self.registry}"
        if self.registry.lower() not in self._insecure:
            self._base = https
            return https
        try:
            self._client_for(https).get(f"{https}/v2/", follow_redirects=False).close()
            self._base = https
        except httpx.TimeoutException:
            raise self.error(f"timed out connecting to {self.registry}") from None
        except httpx.HTTPError:
            self._base = f"http://{self.registry}"
        return self._base

    # -- requests ---------------------------------------------------------------------------

    def error(self, problem: str, hint: str | None = None) -> ImageError:
        """An ImageError naming the registry and repository; secrets redacted."""
        return ImageError(self.auth.redact(f"{self.describe}: {problem}"), hint=hint)

    def get(self, path: str, accept: str) -> httpx.Response:
        """GET ``/v2/<path>`` (streamed: the caller closes it); one retry after a 401."""
        url = httpx.URL(f"{self.base()}/v2/{path}")
        scope = f"repository:{self.repository}:pull"
        resp = self._follow(url, accept)
        if resp.status_code != 401 or origin(resp.url) != origin(url):
            return resp
        challenges = parse_challenges(resp.headers.get_list("www-authenticate"))
        resp.close()
        sent = self.auth.header
        self.auth.respond(challenges, scope)
        if self.auth.header == sent:
            raise self.auth.denied(challenges)
        resp = self._follow(url, accept)
        if resp.status_code == 401 and origin(resp.url) == origin(url):
            challenges = parse_challenges(resp.headers.get_list("www-authenticate"))
            resp.close()
            raise self.auth.denied(challenges)
        return resp

    def _follow(self, url: httpx.URL, accept: str) -> httpx.Response:
        home = origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            headers = {"Accept": accept, "Accept-Encoding": "identity"}
            if origin(url) == home and self.auth.header:
                # Never sent anywhere else: a redirect to storage must not carry credentials.
                headers["Authorization"] = self.auth.header
            resp = self._send(url, headers)
            location = resp.headers.get("location")
            if resp.status_code not in _REDIRECTS or not location:
                return resp
            resp.close()
            try:
                url = url.join(location)
            except (httpx.InvalidURL, ValueError):
                raise self.error("redirect to an invalid URL") from None
            if url.scheme not in ("https", "http"):
                raise self.error(f"refusing redirect to {url.scheme!r} URL")
            if url.scheme == "http" and not self._listed(url):
                raise self.error(
                    f"refusing redirect to plain HTTP {_safe_url(url)}",
                    hint="list that host:port with --insecure-registry if that is intended",
                )
        raise self.error(f"more than {MAX_REDIRECTS} redirects")

    def _send(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        client = self._client_for(url)
        where = _hostport(url)
        try:
            return client.send(client.build_request("GET", url, headers=headers), stream=True)
        except httpx.TimeoutException:
            raise self.error(f"timed out talking to {where}") from None
        except httpx.ConnectError as exc:
            reason = str(exc) or type(exc).__name__
            if any(h.lower() in reason.lower() for h in _TLS_HINTS):
                raise self.error(
                    f"TLS failure talking to {where}: {reason}",
                    hint=(
                        "if this registry serves plain HTTP or a self-signed certificate, "
                        f"list it with --insecure-registry {where}"
                    ),
                ) from None
            raise self.error(f"cannot connect to {where}: {reason}") from None
        except httpx.HTTPError as exc:
            raise self.error(
                f"HTTP error talking to {where}: {exc or type(exc).__name__}"
            ) from None

    def read_capped(self, resp: httpx.Response, cap: int, what: str) -> bytes:
        """The whole body of ``resp``, refusing more than ``cap`` bytes; closes ``resp``."""
        with contextlib.closing(resp):
            length = resp.headers.get("content-length", "")
            if length.isdigit() and int(length) > cap:
                raise self.error(f"{what} is {length} bytes, over the {cap}-byte limit")
            chunks: list[bytes] = []
            total = 0
            try:
                for chunk in resp.iter_bytes():
                    total += len(chunk)
                    if total > cap:
                        raise self.error(f"{what} is over the {cap}-byte limit")
                    chunks.append(chunk)
            except httpx.HTTPError as exc:
                raise self.error(f"reading {what}: {exc or type(exc).__name__}") from None
            return b"".join(chunks)

    def status_error(self, resp: httpx.Response, what: str) -> ImageError:
        """An error for an unexpected status, with the registry's error code when it gave one."""
        detail = _registry_error(self.read_capped(resp, 64 * 1024, "error response"))
        status = resp.status_code
        problem = {
            404: f"{what} not found",
            403: f"access to {what} denied",
            429: f"too many requests while fetching {what}",
        }.get(status, f"unexpected answer while fetching {what}")
        if status >= 500:
            problem = f"server error while fetching {what}"
        suffix = f"; {detail}" if detail else ""
        return self.error(f"{problem} (HTTP {status}{suffix})")

    def stream(self, resp: httpx.Response, size: int | None, what: str) -> BinaryIO:
        """A buffered reader over ``resp``'s body that insists on exactly ``size`` bytes."""
        return io.BufferedReader(_BodyReader(self, resp, size, what), buffer_size=1024 * 1024)

    def close(self) -> None:
        """Close the HTTP clients."""
        self._verified.close()
        if self._unverified is not None:
            self._unverified.close()


def _norm_host(entry: str) -> str:
    entry = entry.strip().lower()
    for scheme in ("https://", "http://"):
        if entry.startswith(scheme):
            entry = entry[len(scheme) :]
    return entry.rstrip("/")


def _registry_error(body: bytes) -> str:
    """``CODE: message`` of the first entry of a distribution error body, one line, short."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    errors = doc.get("errors") if isinstance(doc, dict) else None
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return ""
    code, message = errors[0].get("code", ""), errors[0].get("message", "")
    text = f"{code}: {message}" if code and message else str(code or message)
    return "".join(c if c.isprintable() else " " for c in text)[:200]


class _BodyReader(io.RawIOBase):
    """Raw reader over a streamed response; a short or long body is an ImageError."""

    def __init__(self, transport: Transport, resp: httpx.Response, size: int | None, what: str):
        super().__init__()
        self._transport = transport
        self._resp = resp
        self._chunks = resp.iter_bytes()
        self._pending = b""
        self._size = size
        self._count = 0
        self._what = what

    def readable(self) -> bool:
        """Always: this is a read-only stream."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the response; ``0`` at the verified end."""
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                if self._size is not None and self._count != self._size:
                    raise self._transport.error(
                        f"{self._what} truncated: {self._count} of {self._size} bytes"
                    ) from None
                return 0
            except httpx.HTTPError as exc:
                raise self._transport.error(
                    f"reading {self._what}: {exc or type(exc).__name__}"
                ) from None
            self._count += len(self._pending)
            if self._size is not None and self._count > self._size:
                raise self._transport.error(f"{self._what} is longer than its {self._size} bytes")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        """Close the response (and the connection it holds)."""
        if not self.closed:
            self._resp.close()
        super().close()
