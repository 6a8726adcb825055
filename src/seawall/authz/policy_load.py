"""Load and validate an authorization policy file (YAML, schema version 1; docs/authz/policy.md).

Policies are security boundaries, so the loader is strict: unknown keys, duplicate keys, wrong
types, unknown actions, capabilities, namespaces or roles are refused with one line naming the
file, the key path and the problem. Nothing is guessed and nothing defaults to "allow".
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seawall.authz.policy import (
    NAMESPACES,
    POLICY_VERSION,
    RESOURCES,
    Binding,
    Constraints,
    LogSpec,
    Policy,
    Role,
    Rule,
    Scope,
    TokenSpec,
    action_matches,
    normalise_capability,
)
from seawall.authz.policy_yaml import (
    NAME,
    Where,
    boolean,
    integer,
    keys,
    load_yaml,
    mapping,
    names,
    string,
    texts,
)
from seawall.errors import ConfigError

MAX_POLICY_BYTES = 1024 * 1024
_ACTION_GLOB = re.compile(r"^[a-z*][a-z0-9.*-]*$")
_VERSION = re.compile(r"^1\.\d{1,3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HEADER = re.compile(r"^[A-Za-z0-9-]{1,64}$")

#: Capability names the kernel knows (without CAP_), plus ALL.
CAPABILITIES = frozenset(
    [
        "CHOWN",
        "DAC_OVERRIDE",
        "DAC_READ_SEARCH",
        "FOWNER",
        "FSETID",
        "KILL",
        "SETGID",
        "SETUID",
        "SETPCAP",
        "LINUX_IMMUTABLE",
        "NET_BIND_SERVICE",
        "NET_BROADCAST",
        "NET_ADMIN",
        "NET_RAW",
        "IPC_LOCK",
        "IPC_OWNER",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_CHROOT",
        "SYS_PTRACE",
        "SYS_PACCT",
        "SYS_ADMIN",
        "SYS_BOOT",
        "SYS_NICE",
        "SYS_RESOURCE",
        "SYS_TIME",
        "SYS_TTY_CONFIG",
        "MKNOD",
        "LEASE",
        "AUDIT_WRITE",
        "AUDIT_CONTROL",
        "SETFCAP",
        "MAC_OVERRIDE",
        "MAC_ADMIN",
        "SYSLOG",
        "WAKE_ALARM",
        "BLOCK_SUSPEND",
        "AUDIT_READ",
        "PERFMON",
        "BPF",
        "CHECKPOINT_RESTORE",
        "ALL",
    ]
)


def load_policy(path: str | Path) -> Policy:
    """Read and validate the policy at ``path``; raises ConfigError with one clear line."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_POLICY_BYTES:
            raise ConfigError(f"policy {p}: larger than {MAX_POLICY_BYTES} bytes")
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"policy {p}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"policy {p}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"policy {p}: cannot read it ({exc.strerror or exc})") from None
    return parse_policy(text, source=str(p))


def parse_policy(text: str, *, source: str = "<policy>") -> Policy:
    """Validate policy YAML text into a ``Policy``."""
    data = load_yaml(text, source)
    where = Where(source)
    top = mapping(where, "(top level)", data)
    keys(
        where,
        "(top level)",
        top,
        required={"version", "roles", "bindings"},
        optional={"anonymous", "min_api_version", "token_header", "tokens", "log"},
    )
    if top["version"] != POLICY_VERSION:
        raise where.fail("version", f"must be {POLICY_VERSION} (got {top['version']!r})")
    roles = _roles(where, top["roles"])
    tokens = _tokens(where, top.get("tokens", {}))
    bindings = _bindings(where, top["bindings"], {r.name for r in roles}, {t.name for t in tokens})
    min_api = string(where, "min_api_version", top.get("min_api_version", "1.24"))
    if not _VERSION.match(min_api) or int(min_api.split(".")[1]) < 24:
        raise where.fail("min_api_version", f"must be 1.24 or later (got {min_api!r})")
    header = string(where, "token_header", top.get("token_header", "X-Seawall-Token"))
    if not _HEADER.match(header):
        raise where.fail("token_header", f"not an HTTP header name: {header!r}")
    anonymous = string(where, "anonymous", top.get("anonymous", "local"))
    if not NAME.match(anonymous):
        raise where.fail("anonymous", f"not a valid subject name: {anonymous!r}")
    return Policy(
        version=POLICY_VERSION,
        roles=roles,
        bindings=bindings,
        tokens=tokens,
        anonymous_name=anonymous,
        min_api_version=min_api,
        token_header=header,
        log=_log(where, top.get("log", {})),
        source=source,
    )


def _roles(where: Where, value: Any) -> tuple[Role, ...]:
    roles = mapping(where, "roles", value)
    if not roles:
        raise where.fail("roles", "at least one role is needed")
    out = []
    for name, body in roles.items():
        path = f"roles.{name}"
        if not NAME.match(name):
            raise where.fail(path, "role names are letters, digits, '.', '_', '-', '@'")
        spec = mapping(where, path, body)
        keys(where, path, spec, required={"rules"}, optional={"description"})
        rules_in = spec["rules"]
        if not isinstance(rules_in, list) or not rules_in:
            raise where.fail(f"{path}.rules", "expected a non-empty list of rules")
        rules = tuple(
            _rule(where, f"{path}.rules[{i}]", name, i, r) for i, r in enumerate(rules_in)
        )
        names = [r.name for r in rules]
        if len(set(names)) != len(names):
            raise where.fail(f"{path}.rules", "rule names must be unique within a role")
        description = spec.get("description", "")
        if not isinstance(description, str):
            raise where.fail(f"{path}.description", "expected a string")
        out.append(Role(name=name, description=description, rules=rules))
    return tuple(out)


def _rule(where: Where, path: str, role: str, index: int, value: Any) -> Rule:
    from seawall.authz.routes import ACTIONS

    spec = mapping(where, path, value)
    keys(where, path, spec, required={"actions"}, optional={"name", "scope", "constraints"})
    name = spec.get("name", str(index))
    if not isinstance(name, str) or not NAME.match(name):
        raise where.fail(f"{path}.name", f"not a valid rule name: {name!r}")
    actions = texts(where, f"{path}.actions", spec["actions"])
    for a in actions:
        if a == "unknown":
            continue
        if not _ACTION_GLOB.match(a) or not any(action_matches((a,), known) for known in ACTIONS):
            raise where.fail(
                f"{path}.actions", f"{a!r} matches no Engine API action (see docs/authz/actions.md)"
            )
    scope_raw = spec.get("scope", "all")
    try:
        scope = Scope(scope_raw)
    except ValueError:
        raise where.fail(
            f"{path}.scope", f"expected 'all' or 'owned' (got {scope_raw!r})"
        ) from None
    constraints = _constraints(where, f"{path}.constraints", spec.get("constraints", {}))
    return Rule(name=f"{role}/{name}", actions=actions, scope=scope, constraints=constraints)


def _host_path(where: Where, path: str, p: str) -> str:
    bad = not p.startswith("/") or posixpath.normpath(p) != p.rstrip("/") or "//" in p
    if bad and p != "/":
        raise where.fail(path, f"host paths must be absolute and normalised: {p!r}")
    return p.rstrip("/") or "/"


def _constraints(where: Where, path: str, value: Any) -> Constraints:
    spec = mapping(where, path, value)
    parsers: dict[str, Callable[[str, Any], Any]] = {
        "unrestricted": lambda k, v: boolean(where, k, v),
        "privileged": lambda k, v: boolean(where, k, v),
        "cap_add": lambda k, v: _caps(where, k, v),
        "host_paths": lambda k, v: tuple(_host_path(where, k, p) for p in texts(where, k, v)),
        "writable_host_paths": lambda k, v: boolean(where, k, v),
        "named_volumes": lambda k, v: boolean(where, k, v),
        "volume_drivers": lambda k, v: frozenset(texts(where, k, v)),
        "volume_options": lambda k, v: boolean(where, k, v),
        "host_namespaces": lambda k, v: _choices(where, k, v, NAMESPACES),
        "devices": lambda k, v: boolean(where, k, v),
        "unconfined": lambda k, v: boolean(where, k, v),
        "cgroup_parent": lambda k, v: boolean(where, k, v),
        "runtimes": lambda k, v: frozenset(texts(where, k, v)),
        "sysctls": lambda k, v: texts(where, k, v),
        "exec_privileged": lambda k, v: boolean(where, k, v),
        "registries": lambda k, v: None if v == "any" else _registries(where, k, v),
        "non_root": lambda k, v: boolean(where, k, v),
        "require_resources": lambda k, v: _choices(where, k, v, RESOURCES),
        "build_host_network": lambda k, v: boolean(where, k, v),
        "plugin_privileges": lambda k, v: boolean(where, k, v),
    }
    keys(where, path, spec, required=set(), optional=set(parsers))
    values = {key: parsers[key](f"{path}.{key}", raw) for key, raw in spec.items()}
    if values.get("unrestricted") and len(values) > 1:
        raise where.fail(path, "'unrestricted: true' cannot be combined with other constraints")
    return Constraints(**values)


def _caps(where: Where, path: str, value: Any) -> frozenset[str]:
    caps = frozenset(normalise_capability(c) for c in texts(where, path, value))
    unknown = sorted(caps - CAPABILITIES)
    if unknown:
        raise where.fail(path, f"unknown capability {unknown[0]!r}")
    return caps


def _choices(where: Where, path: str, value: Any, allowed: frozenset[str]) -> frozenset[str]:
    got = frozenset(texts(where, path, value))
    bad = sorted(got - allowed)
    if bad:
        raise where.fail(path, f"unknown value {bad[0]!r} (known: {', '.join(sorted(allowed))})")
    return got


def _registries(where: Where, path: str, value: Any) -> tuple[str, ...]:
    regs = texts(where, path, value)
    for r in regs:
        if r != r.lower() or "://" in r or r.startswith("/") or r.endswith("/") or " " in r:
            raise where.fail(
                path, f"registry entries are 'host[:port][/path]' in lower case: {r!r}"
            )
    return regs


def _tokens(where: Where, value: Any) -> tuple[TokenSpec, ...]:
    spec = mapping(where, "tokens", value)
    out = []
    for name, body in spec.items():
        path = f"tokens.{name}"
        if not NAME.match(name):
            raise where.fail(path, "token names are letters, digits, '.', '_', '-', '@'")
        entry = mapping(where, path, body)
        keys(where, path, entry, required={"sha256"}, optional=set())
        digest = string(where, f"{path}.sha256", entry["sha256"])
        if not _SHA256.match(digest):
            raise where.fail(
                f"{path}.sha256",
                "expected the 64 lower-case hex digits of the token's SHA-256 "
                "(`printf %s TOKEN | sha256sum`), never the token itself",
            )
        out.append(TokenSpec(name=name, sha256=digest))
    return tuple(out)


def _bindings(where: Where, value: Any, roles: set[str], tokens: set[str]) -> tuple[Binding, ...]:
    if not isinstance(value, list):
        raise where.fail("bindings", "expected a list of bindings")
    out = []
    for i, body in enumerate(value):
        path = f"bindings[{i}]"
        spec = mapping(where, path, body)
        keys(
            where,
            path,
            spec,
            required={"role"},
            optional={"users", "groups", "certs", "tokens", "anonymous"},
        )
        role = string(where, f"{path}.role", spec["role"])
        if role not in roles:
            raise where.fail(f"{path}.role", f"no role named {role!r}")
        binding = Binding(
            role=role,
            users=names(where, f"{path}.users", spec.get("users", [])),
            groups=names(where, f"{path}.groups", spec.get("groups", [])),
            certs=frozenset(texts(where, f"{path}.certs", spec.get("certs", []))),
            tokens=names(where, f"{path}.tokens", spec.get("tokens", [])),
            anonymous=boolean(where, f"{path}.anonymous", spec.get("anonymous", False)),
        )
        unknown = sorted(binding.tokens - tokens)
        if unknown:
            raise where.fail(f"{path}.tokens", f"no token named {unknown[0]!r} under 'tokens:'")
        if not (
            binding.users or binding.groups or binding.certs or binding.tokens or binding.anonymous
        ):
            raise where.fail(path, "binds nobody: give users, groups, certs, tokens or anonymous")
        out.append(binding)
    return tuple(out)


def _log(where: Where, value: Any) -> LogSpec:
    spec = mapping(where, "log", value)
    keys(where, "log", spec, required=set(), optional={"path", "max_bytes", "keep"})
    path = spec.get("path")
    if path is not None and (not isinstance(path, str) or not path.startswith("/")):
        raise where.fail("log.path", "expected an absolute file path")
    return LogSpec(
        path=path,
        max_bytes=integer(where, "log.max_bytes", spec.get("max_bytes", 10 * 1024 * 1024), 4096),
        keep=integer(where, "log.keep", spec.get("keep", 5), 0),
    )
