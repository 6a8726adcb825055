"""Registry credentials and authorization for the ``registry:REF`` source.

Credentials come, first match wins, from explicit per-registry values, from the environment
(``SEAWALL_REGISTRY_USERNAME`` / ``SEAWALL_REGISTRY_PASSWORD``) and from the ``auths`` section
of Docker's ``config.json`` (``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``):
``auth`` (base64 ``user:password``), ``username``/``password`` or ``identitytoken``. Credential
helpers (``credsStore``, ``credHelpers``) are not called; when a registry demands credentials
that only a helper holds, the error says so.

Credentials are only sent after the registry asks (HTTP 401 with ``WWW-Authenticate``):
``Basic`` gets the user and password; ``Bearer`` (distribution token auth) fetches a token from
the challenge's realm for its service and scope, with the credentials when there are any, and
caches it per scope until it expires. Secrets never appear in error text: every message built
from something a server said goes through :meth:`Authorizer.redact`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from seawall.errors import ConfigError
from seawall.image.walk import ImageError

ENV_USERNAME = "SEAWALL_REGISTRY_USERNAME"
ENV_PASSWORD = "SEAWALL_REGISTRY_PASSWORD"  # noqa: S105 - the variable's name, not a secret
#: Docker Hub's registry and the names its credentials are stored under in config.json.
DOCKER_HUB_REGISTRY = "registry-1.docker.io"
_HUB_KEYS = ("https://index.docker.io/v1/", "index.docker.io", "docker.io", DOCKER_HUB_REGISTRY)
#: A token response bigger than this is refused (a token is a few KiB).
MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024
#: Token lifetime when the server gives none (the token spec's default), and a safety margin.
DEFAULT_TOKEN_SECONDS = 60
_EXPIRY_MARGIN = 5.0
_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password, or an identity (refresh) token, and where they came from."""

    username: str = ""
    password: str = field(default="", repr=False)
    identity_token: str = field(default="", repr=False)
    #: For messages: ``SEAWALL_REGISTRY_USERNAME`` or the config.json path.
    origin: str = ""

    def secrets(self) -> tuple[str, ...]:
        """The values that must never be shown."""
        basic = f"{self.username}:{self.password}"
        encoded = base64.b64encode(basic.encode()).decode()
        return tuple(s for s in (self.password, self.identity_token, encoded) if s)


@dataclass(frozen=True, slots=True)
class CredentialLookup:
    """What was found for one registry: credentials, or the helper that would hold them."""

    credentials: Credentials | None
    #: ``credsStore``/``credHelpers`` entry naming a helper for this registry (not supported).
    helper: str | None = None
    config_path: str | None = None


def _norm_key(key: str) -> str:
    """``https://host:port/v1/`` and ``host:port`` name the same registry in config.json."""
    key = key.strip().lower()
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            key = key[len(scheme) :]
    return key.split("/", 1)[0]


def _keys_for(registry: str) -> tuple[str, ...]:
    reg = registry.lower()
    if reg in {_norm_key(k) for k in _HUB_KEYS}:
        return tuple(_norm_key(k) for k in _HUB_KEYS)
    if reg.endswith(":443"):
        return (reg, reg[: -len(":443")])
    return (reg,)


@dataclass(frozen=True, slots=True)
class RegistryAuth:
    """Where the registry source looks for credentials (see the module docstring).

    ``explicit`` maps a registry (``host[:port]``) to credentials and wins over everything;
    ``env`` replaces ``os.environ`` (tests); ``docker_config`` is the path of a ``config.json``
    (default: ``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``, resolved when a
    registry first asks for credentials).
    """

    explicit: tuple[tuple[str, Credentials], ...] = ()
    use_env: bool = True
    use_docker_config: bool = True
    docker_config: str | None = None
    env: Mapping[str, str] | None = None

    def lookup(self, registry: str) -> CredentialLookup:
        """Credentials for ``registry`` (``host[:port]``); ConfigError for unreadable sources."""
        keys = _keys_for(registry)
        for name, creds in self.explicit:
            if _norm_key(name) in keys:
                return CredentialLookup(creds)
        env = os.environ if self.env is None else self.env
        if self.use_env:
            user, password = env.get(ENV_USERNAME, ""), env.get(ENV_PASSWORD, "")
            if user and password:
                return CredentialLookup(Credentials(user, password, origin=ENV_USERNAME))
            if user or password:
                missing = ENV_PASSWORD if user else ENV_USERNAME
                present = ENV_USERNAME if user else ENV_PASSWORD
                raise ConfigError(f"{present} is set but {missing} is not; set both or neither")
        if not self.use_docker_config:
            return CredentialLookup(None)
        return _from_docker_config(self._config_path(env), keys)

    def _config_path(self, env: Mapping[str, str]) -> str:
        if self.docker_config:
            return self.docker_config
        if env.get("DOCKER_CONFIG"):
            return os.path.join(env["DOCKER_CONFIG"], "config.json")
        home = env.get("HOME") or os.path.expanduser("~")
        return os.path.join(home, ".docker", "config.json")


def _from_docker_config(path: str, keys: tuple[str, ...]) -> CredentialLookup:
    """Read ``auths`` of a Docker config.json; a missing file means no credentials."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TOKEN_RESPONSE_BYTES + 1)
    except FileNotFoundError:
        return CredentialLookup(None)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_TOKEN_RESPONSE_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_TOKEN_RESPONSE_BYTES} bytes")
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{path}: not valid JSON") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: not a JSON object")
    helper = _helper_for(doc, keys)
    auths = doc.get("auths")
    for key, entry in auths.items() if isinstance(auths, dict) else ():
        if _norm_key(str(key)) in keys and isinstance(entry, dict):
            creds = _entry_credentials(entry, path, str(key))
            if creds is not None:
                return CredentialLookup(creds, config_path=path)
    return CredentialLookup(None, helper=helper, config_path=path)


def _helper_for(doc: dict[str, object], keys: tuple[str, ...]) -> str | None:
    helpers = doc.get("credHelpers")
    if isinstance(helpers, dict):
        for key, name in helpers.items():
            if _norm_key(str(key)) in keys:
                return f"{name} (credHelpers)"
    store = doc.get("credsStore")
    return f"{store} (credsStore)" if isinstance(store, str) and store else None


def _entry_credentials(entry: dict[str, object], path: str, key: str) -> Credentials | None:
    user = entry.get("username")
    password = entry.get("password")
    token = entry.get("identitytoken")
    auth = entry.get("auth")
    if isinstance(auth, str) and auth:
        try:
            decoded = base64.b64decode(auth, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ConfigError(
                f"{path}: auths[{key!r}].auth is not base64 of user:password"
            ) from None
        if ":" not in decoded:
            raise ConfigError(f"{path}: auths[{key!r}].auth is not base64 of user:password")
        user, password = decoded.split(":", 1)
    token_s = token if isinstance(token, str) else ""
    user_s = user if isinstance(user, str) else ""
    pass_s = password if isinstance(password, str) else ""
    if not (pass_s or token_s):
        return None  # e.g. ``{}``: the credentials live in a helper
    return Credentials(user_s, pass_s, token_s, origin=path)


@dataclass(frozen=True, slots=True)
class Challenge:
    """One ``WWW-Authenticate`` challenge: its scheme (lower case) and parameters."""

    scheme: str
    params: dict[str, str]


_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM = re.compile(rf"\s*({_TCHARS})\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^\s,]*)\s*(?:,|$)")
_SCHEME = re.compile(rf"\s*,?\s*({_TCHARS})(?:\s+|$)")


def parse_challenges(headers: list[str]) -> list[Challenge]:
    """Parse ``WWW-Authenticate`` values (RFC 7235: ``Scheme k=v, k="v", Scheme2 ...``)."""
    out: list[Challenge] = []
    for header in headers:
        pos = 0
        while pos < len(header):
            m = _SCHEME.match(header, pos)
            if not m:
                break
            current = Challenge(m.group(1).lower(), {})
            out.append(current)
            pos = m.end()
            while pos < len(header):
                p = _PARAM.match(header, pos)
                if not p:
                    break
                value = p.group(2)
                if value.startswith('"'):
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])
                current.params[p.group(1).lower()] = value
                pos = p.end()
    return out


@dataclass(slots=True)
class _Token:
    value: str
    expires: float


class Authorizer:
    """Answers a registry's 401 challenges with an ``Authorization`` value; caches tokens.

    ``client_for(url)`` gives the HTTP client to reach a token realm with (the transport
    decides TLS verification); ``plain_http_ok(url)`` says whether a plain-HTTP realm may be
    used (only when the user listed it, or the registry itself, as insecure).
    """

    def __init__(
        self,
        registry: str,
        auth: RegistryAuth,
        describe: str,
        client_for: Callable[[str], httpx.Client],
        plain_http_ok: Callable[[str], bool],
    ) -> None:
        self._registry = registry
        self._auth = auth
        self._describe = describe
        self._client_for = client_for
        self._plain_http_ok = plain_http_ok
        self._lookup: CredentialLookup | None = None
        self._tokens: dict[tuple[str, str, tuple[str, ...]], _Token] = {}
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        #: The header value sent with every request to the registry once one was accepted.
        self.header: str | None = None

    def redact(self, text: str) -> str:
        """``text`` with every password and token this authorizer knows replaced by ``***``."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return re.sub(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{20,}", r"\1 ***", text)

    def credentials(self) -> CredentialLookup:
        """Look credentials up once (lazily: anonymous registries never read config.json)."""
        if self._lookup is None:
            self._lookup = self._auth.lookup(self._registry)
            if self._lookup.credentials is not None:
                self._secrets.update(self._lookup.credentials.secrets())
        return self._lookup

    def respond(self, challenges: list[Challenge], default_scope: str) -> str:
        """A new ``Authorization`` value for these challenges (raises ImageError if none)."""
        by_scheme = {c.scheme: c for c in challenges}
        with self._lock:
            if "bearer" in by_scheme:
                self.header = self._bearer(by_scheme["bearer"], default_scope)
            elif "basic" in by_scheme:
                self.header = self._basic()
            else:
                names = ", ".join(sorted(by_scheme)) or "none"
                raise ImageError(
                    f"{self._describe}: unsupported authentication scheme ({names}) in HTTP 401"
                )
            return self.header

    def denied(self, challenges: list[Challenge]) -> ImageError:
        """The error for a 401 that survived one authorized retry (or could not be retried)."""
        lookup = self.credentials()
        creds = lookup.credentials
        errs = {c.params.get("error", "") for c in challenges}
        if creds is None:
            return self.missing()
        who = f"user {creds.username!r}" if creds.username else "the identity token"
        why = "insufficient scope" if "insufficient_scope" in errs else "access denied"
        return ImageError(
            f"{self._describe}: {why} (HTTP 401) for {who} from {creds.origin}",
            hint="check that this account may pull the repository",
        )

    def missing(self) -> ImageError:
        """The error when the registry wants credentials and none were found."""
        lookup = self.credentials()
        if lookup.helper:
            return ImageError(
                f"{self._describe}: authentication required (HTTP 401); {lookup.config_path} "
                f"keeps this registry's credentials in the credential helper {lookup.helper}, "
                "which seawall does not call",
                hint=f"set {ENV_USERNAME} and {ENV_PASSWORD} instead",
            )
        return ImageError(
            f"{self._describe}: authentication required (HTTP 401) and no credentials found",
            hint=f"set {ENV_USERNAME} and {ENV_PASSWORD}, or run `docker login`",
        )

    def _basic(self) -> str:
        creds = self.credentials().credentials
        if creds is None or not creds.password:
            raise self.missing()
        raw = f"{creds.username}:{creds.password}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    def _bearer(self, challenge: Challenge, default_scope: str) -> str:
        realm = challenge.params.get("realm", "")
        if not realm.startswith(("https://", "http://")):
            raise ImageError(f"{self._describe}: bearer challenge without a usable realm URL")
        if realm.startswith("http://") and not self._plain_http_ok(realm):
            raise ImageError(
                f"{self._describe}: refusing to fetch a token over plain HTTP from "
                f"{_origin_of(realm)}",
                hint="list it with --insecure-registry if that is intended",
            )
        service = challenge.params.get("service", "")
        scopes = tuple(challenge.params.get("scope", "").split()) or (default_scope,)
        key = (realm, service, scopes)
        cached = self._tokens.get(key)
        sent = self.header[len("Bearer ") :] if self.header else None
        if cached and cached.expires > time.monotonic() and cached.value != sent:
            return "Bearer " + cached.value
        token = self._fetch_token(realm, service, scopes)
        self._tokens[key] = token
        return "Bearer " + token.value

    def _fetch_token(self, realm: str, service: str, scopes: tuple[str, ...]) -> _Token:
        creds = self.credentials().credentials
        client = self._client_for(realm)
        where = _origin_of(realm)
        try:
            if creds is not None and creds.identity_token:
                # OAuth2 refresh-token grant, as docker does for identity tokens.
                form = {
                    "grant_type": "refresh_token",
                    "refresh_token": creds.identity_token,
                    "service": service,
                    "scope": " ".join(scopes),
                    "client_id": "seawall",
                }
                resp = client.post(realm, data=form, follow_redirects=False)
            else:
                pairs = [("service", service)] if service else []
                params = tuple(pairs + [("scope", s) for s in scopes])
                basic = (creds.username, creds.password) if creds and creds.password else None
                resp = client.get(realm, params=params, auth=basic, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise ImageError(
                f"{self._describe}: token server {where} unreachable: "
                f"{self.redact(str(exc)) or type(exc).__name__}"
            ) from None
        return self._token_from(resp, creds, where)

    def _token_from(self, resp: httpx.Response, creds: Credentials | None, where: str) -> _Token:
        if resp.status_code in (401, 403):
            if creds is None:
                raise self.missing()
            who = f"user {creds.username!r}" if creds.username else "the identity token"
            raise ImageError(
                f"{self._describe}: token server {where} rejected the credentials of {who} "
                f"from {creds.origin} (HTTP {resp.status_code})",
                hint="check the user name and password",
            )
        if resp.status_code != 200:
            raise ImageError(
                f"{self._describe}: token server {where} answered HTTP {resp.status_code}"
            )
        if len(resp.content) > MAX_TOKEN_RESPONSE_BYTES:
            raise ImageError(f"{self._describe}: token server {where} sent an oversized response")
        try:
            doc = json.loads(resp.content)
        except (ValueError, UnicodeDecodeError):
            doc = None
        value = None
        if isinstance(doc, dict):
            value = doc.get("token") or doc.get("access_token")
        if not isinstance(value, str) or not _TOKEN_CHARS.fullmatch(value):
            raise ImageError(f"{self._describe}: token server {where} sent no usable token")
        self._secrets.add(value)
        seconds = doc.get("expires_in") if isinstance(doc, dict) else None
        life = seconds if isinstance(seconds, int) and seconds > 0 else DEFAULT_TOKEN_SECONDS
        return _Token(value, time.monotonic() + max(life, DEFAULT_TOKEN_SECONDS) - _EXPIRY_MARGIN)


def _origin_of(url: str) -> str:
    u = httpx.URL(url)
    return f"{u.scheme}://{u.host}" + (f":{u.port}" if u.port else "")
