"""The values the authorization engine works on: who asks, what they ask, what we know, what we decide.

Pure frozen dataclasses, no I/O. The edges (the AuthZ plugin and the socket proxy) build a
``Subject``, an ``ApiRequest`` and a ``Context``; ``seawall.authz.decide.decide`` turns them into
a ``Decision``. Everything the decision needs from the outside world (ownership labels, the
user a container runs as, what a host path really is) is gathered into the ``Context`` first, so
the decision itself is a pure function and can be unit-tested and benchmarked on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

#: The label the socket proxy sets (and overwrites) on every container, volume and network it
#: creates; owner-scoped grants compare it with the subject's name.
OWNER_LABEL = "io.seawall.owner"

_EMPTY: Mapping[str, str] = MappingProxyType({})

#: Where the engine's API socket lives on a host (binds of them or a parent are always denied).
ENGINE_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


class SubjectKind(StrEnum):
    """How a caller was identified."""

    USER = "user"  # a unix user, from the kernel (SO_PEERCRED) at the proxy
    CERT = "cert"  # a TLS client certificate common name (the only identity the plugin gets)
    TOKEN = "token"  # noqa: S105 - a named service token sent in the X-Seawall-Token header
    ANONYMOUS = "anonymous"  # no identity at all (the plugin on the unix socket)


@dataclass(frozen=True, slots=True)
class Subject:
    """Who makes a request.

    ``name`` is the unix user name, the certificate CN, the token's name, or for anonymous
    requests the policy's configured anonymous name (``local`` by default). ``groups`` are the
    unix groups of a user subject, resolved by the edge through the host's NSS.
    """

    kind: SubjectKind
    name: str
    uid: int | None = None
    gid: int | None = None
    pid: int | None = None
    groups: frozenset[str] = frozenset()

    def describe(self) -> str:
        """A short, log-safe description: ``user:alice(uid=1001,pid=42)``."""
        ids = [f"{k}={v}" for k, v in (("uid", self.uid), ("pid", self.pid)) if v is not None]
        return f"{self.kind.value}:{self.name}" + (f"({','.join(ids)})" if ids else "")


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One Engine API request, normalised (see ``seawall.authz.request.normalise``).

    ``path`` is URL-decoded once, with ``//`` collapsed, a trailing ``/`` removed and the
    version prefix split off into ``version`` (``None`` when the caller used an unversioned
    path). ``query`` holds the first value of each parameter, which is what Go's
    ``url.Values.Get`` returns and therefore what the engine acts on. ``body`` is ``None`` when
    the edge did not see the body although one was sent (the plugin gets no body for JSON of
    1 MiB or more, nor for non-JSON content); ``body_sent`` says whether the caller sent one.
    """

    method: str
    path: str
    version: str | None = None
    query: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    body: bytes | None = b""
    body_sent: bool = False
    content_type: str = ""
    raw_uri: str = ""


class ResourceKind(StrEnum):
    """The kinds of engine objects an action can target."""

    CONTAINER = "container"
    EXEC = "exec"
    IMAGE = "image"
    VOLUME = "volume"
    NETWORK = "network"
    PLUGIN = "plugin"
    SERVICE = "service"
    SECRET = "secret"  # noqa: S105 - a resource kind
    CONFIG = "config"
    NODE = "node"
    TASK = "task"
    SWARM = "swarm"
    SYSTEM = "system"
    SESSION = "session"
    DISTRIBUTION = "distribution"


@dataclass(frozen=True, slots=True)
class PathFacts:
    """What the edge found out about one host path named in a bind, mount or volume option.

    ``realpath`` is the path with every symlink resolved (``None`` when it does not exist);
    ``symlinked`` is true when any component of the given path is a symlink;
    ``writable_by_subject`` is true when the requesting unix user could write to the path or
    to a directory above it (and so swap it for a symlink between our check and the engine's
    use of it).
    """

    path: str
    realpath: str | None
    symlinked: bool = False
    writable_by_subject: bool = False


@dataclass(frozen=True, slots=True)
class TargetFacts:
    """What the edge knows about the object a request targets (a container, exec, volume...).

    ``known`` is false when the edge could not look it up (the plugin never can): owner-scoped
    grants then deny rather than guess. ``owner`` is the value of ``OWNER_LABEL`` (``None`` when
    the object has none); ``user`` is the user a container runs as (from its config; for an exec
    target, its container's), used when an exec does not name a user.
    """

    known: bool = False
    exists: bool = False
    owner: str | None = None
    user: str | None = None
    container_id: str | None = None


@dataclass(frozen=True, slots=True)
class VolumeFacts:
    """What an existing named volume really is: a volume created earlier with the ``local``
    driver and ``o=bind,device=/etc`` options is a host bind, whatever the container asks.

    ``known`` is false when the edge could not ask the engine; ``exists`` false when there is
    no such volume yet (the engine then creates a plain one with the default driver).
    """

    name: str
    known: bool = True
    exists: bool = False
    driver: str = "local"
    options: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the decision needs that takes I/O, gathered by the edge beforehand."""

    target: TargetFacts = TargetFacts()
    paths: Mapping[str, PathFacts] = field(default_factory=dict)
    #: Existing named volumes a request mounts, looked up by the proxy. A name missing here is
    #: judged as a new volume at the proxy, and as unverifiable at the plugin (which cannot
    #: look anything up).
    volumes: Mapping[str, VolumeFacts] = field(default_factory=dict)
    #: Where the engine's own API socket lives on the host; binds of it or of any parent
    #: directory are always denied.
    engine_sockets: tuple[str, ...] = ENGINE_SOCKETS
    #: Which enforcement point asks: "plugin" or "proxy" (the plugin cannot verify ownership).
    edge: str = "proxy"


class Effect(StrEnum):
    """Allow or deny."""

    ALLOW = "allow"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome: allowed or not, which rule or built-in guard decided, and why.

    ``rule`` is a policy rule name (``developer/run-hardened``) or a guard (``guard:api-version``,
    ``guard:body-missing``, ``guard:unknown-route``, ``default-deny``). ``reason`` is one line a
    person can act on and never contains secret values. ``action`` and ``resource`` are what the
    request was understood as, for the decision log.
    """

    allow: bool
    rule: str
    reason: str
    action: str = ""
    resource: str = ""

    @property
    def effect(self) -> Effect:
        """ALLOW or DENY."""
        return Effect.ALLOW if self.allow else Effect.DENY
