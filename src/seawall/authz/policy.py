"""The policy model: roles grant actions on resources under constraints; bindings give roles to subjects.

Pure values, loaded and validated from YAML by ``seawall.authz.policy_load``. Every constraint
defaults to the safe value (nothing privileged, no host paths, no host namespaces, no devices,
no unconfined security options...); a rule must say so explicitly to allow more, and
``unrestricted: true`` (the admin role) skips body inspection altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from seawall.authz.model import Subject, SubjectKind

POLICY_VERSION = 1

#: Host namespaces a rule can allow by name ("container" covers joins like ``container:ID``).
NAMESPACES = frozenset({"network", "pid", "ipc", "uts", "userns", "cgroupns", "container"})

#: Resource limits a rule can require on created containers.
RESOURCES = frozenset({"memory", "cpu", "pids"})


def normalise_capability(name: str) -> str:
    """``cap_sys_admin``, ``CAP_SYS_ADMIN`` and ``sys_admin`` all become ``SYS_ADMIN`` (``all`` -> ``ALL``).

    The engine accepts every one of these spellings, so policies and requests are compared in
    this one form.
    """
    upper = name.strip().upper()
    return upper[4:] if upper.startswith("CAP_") else upper


class Scope(StrEnum):
    """Which objects a rule's actions may target."""

    ALL = "all"
    OWNED = "owned"  # only objects whose owner label is the subject's name


@dataclass(frozen=True, slots=True)
class Constraints:
    """Limits on what a granted request may ask for, checked on bodies and queries.

    Defaults are the safe choice; see docs/authz/policy.md for each key.
    """

    unrestricted: bool = False
    privileged: bool = False
    #: Capabilities that may be added, normalised: upper case, no ``CAP_`` prefix; "ALL" only
    #: when listed literally.
    cap_add: frozenset[str] = frozenset()
    #: Host path prefixes binds, bind mounts and bind-type volume options may use.
    host_paths: tuple[str, ...] = ()
    #: Allow host paths the requesting user can write to (a symlink-swap race; off by default).
    writable_host_paths: bool = False
    #: Named volumes (in Binds, Mounts and VolumesFrom) allowed at all.
    named_volumes: bool = True
    #: Volume drivers allowed when creating volumes or inline volume mounts.
    volume_drivers: frozenset[str] = frozenset({"local"})
    #: Driver options on volumes (``--opt type=none,o=bind,device=/etc`` is a host bind).
    volume_options: bool = False
    #: Host namespaces (and ``container:`` joins) allowed.
    host_namespaces: frozenset[str] = frozenset()
    #: Devices, device requests (GPUs) and DeviceCgroupRules.
    devices: bool = False
    #: seccomp/apparmor unconfined, label=disable, systempaths=unconfined, Masked/ReadonlyPaths.
    unconfined: bool = False
    cgroup_parent: bool = False
    #: OCI runtimes allowed (empty value means the daemon default, always allowed).
    runtimes: frozenset[str] = frozenset({"runc"})
    #: Sysctl names (or prefixes ending in ".") that may be set.
    sysctls: tuple[str, ...] = ()
    exec_privileged: bool = False
    #: Registries (``127.0.0.1:5000``, ``docker.io``, or ``registry/path`` prefixes) images may
    #: come from; ``None`` means any.
    registries: tuple[str, ...] | None = None
    #: Created containers and execs must run as a non-root user.
    non_root: bool = False
    #: Limits created containers must set.
    require_resources: frozenset[str] = frozenset()
    #: Image build options: host network, and the classic builder's remote contexts.
    build_host_network: bool = False
    #: Plugin privileges (network, mount, device, capabilities) a plugin install may accept.
    plugin_privileges: bool = False


UNRESTRICTED = Constraints(unrestricted=True)


@dataclass(frozen=True, slots=True)
class Rule:
    """One allow rule of a role: actions (globs like ``container.*``), scope, constraints."""

    name: str  # "<role>/<rule name or index>"
    actions: tuple[str, ...]
    scope: Scope = Scope.ALL
    constraints: Constraints = Constraints()


@dataclass(frozen=True, slots=True)
class Role:
    """A named set of allow rules."""

    name: str
    description: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Binding:
    """Who gets a role: unix users, groups, certificate CNs, token names, or anonymous callers."""

    role: str
    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    certs: frozenset[str] = frozenset()
    tokens: frozenset[str] = frozenset()
    anonymous: bool = False

    def matches(self, subject: Subject) -> bool:
        """True when this binding applies to ``subject``."""
        match subject.kind:
            case SubjectKind.USER:
                return subject.name in self.users or bool(subject.groups & self.groups)
            case SubjectKind.CERT:
                return subject.name in self.certs
            case SubjectKind.TOKEN:
                return subject.name in self.tokens
            case SubjectKind.ANONYMOUS:
                return self.anonymous
        return False  # pragma: no cover - exhaustive above


@dataclass(frozen=True, slots=True)
class TokenSpec:
    """A named service token, stored as the SHA-256 of its secret (never the secret itself)."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class LogSpec:
    """Where decisions are logged and how the file rotates."""

    path: str | None = None
    max_bytes: int = 10 * 1024 * 1024
    keep: int = 5


@dataclass(frozen=True, slots=True)
class Policy:
    """A whole validated policy."""

    version: int
    roles: tuple[Role, ...]
    bindings: tuple[Binding, ...]
    tokens: tuple[TokenSpec, ...] = ()
    anonymous_name: str = "local"
    min_api_version: str = "1.24"
    token_header: str = "X-Seawall-Token"  # noqa: S105 - a header name
    log: LogSpec = field(default_factory=LogSpec)
    source: str = ""

    def roles_for(self, subject: Subject) -> tuple[Role, ...]:
        """The roles bound to ``subject``, in policy order, each once."""
        wanted = {b.role for b in self.bindings if b.matches(subject)}
        return tuple(r for r in self.roles if r.name in wanted)


def action_matches(patterns: tuple[str, ...], action: str) -> bool:
    """True when one of the glob patterns grants ``action``.

    ``*`` matches any run of characters (so ``container.*`` covers ``container.archive.put``);
    the pseudo-action ``unknown`` is only granted when listed literally.
    """
    if action == "unknown":
        return "unknown" in patterns
    for pat in patterns:
        if pat == action:
            return True
        if "*" in pat and _glob(pat).match(action):
            return True
    return False


_GLOBS: dict[str, re.Pattern[str]] = {}


def _glob(pat: str) -> re.Pattern[str]:
    rx = _GLOBS.get(pat)
    if rx is None:
        rx = re.compile("^" + ".*".join(re.escape(p) for p in pat.split("*")) + "$")
        _GLOBS[pat] = rx
    return rx
