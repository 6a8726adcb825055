"""Parse a dockerd command line into daemon.json-shaped settings. Pure.

dockerd parses flags with spf13/pflag: ``--flag=value``, ``--flag value`` (not for booleans),
``--bool`` (true), ``--bool=false``, shorthands ``-H value``/``-Hvalue``/``-H=value`` and
grouped boolean shorthands (``-D``). Repeatable flags (``--insecure-registry``, ``-H``,
``--storage-opt`` ...) append; ``--log-opt k=v`` and ``--default-ulimit name=soft:hard`` fill a
map. dockerd takes no positional arguments, so a word that does not start with ``-`` after a
flag seawall does not know must be that flag's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(Enum):
    """How a flag's value is stored."""

    BOOL = "bool"
    STR = "str"
    INT = "int"
    LIST = "list"
    MAP = "map"  # key=value entries into one object (--log-opt)
    ULIMIT = "ulimit"  # name=soft[:hard] into {"name": {"Name", "Soft", "Hard"}}


_B, _S, _I, _L = Kind.BOOL, Kind.STR, Kind.INT, Kind.LIST


def _words(text: str) -> list[str]:
    return text.split()


#: flag (without dashes) -> (daemon.json key, kind). dockerd 20.10 ``dockerd --help``.
FLAGS: dict[str, tuple[str, Kind]] = {
    # booleans
    **{
        name: (name, _B)
        for name in _words("""
            cri-containerd debug experimental icc init ip-forward ip-masq ip6tables iptables
            ipv6 live-restore no-new-privileges raw-logs rootless selinux-enabled tls tlsverify
            userland-proxy help version validate disable-legacy-registry
        """)
    },
    # strings, same name in daemon.json
    **{
        name: (name, _S)
        for name in _words("""
            api-cors-header bip bridge cgroup-parent config-file containerd
            containerd-namespace containerd-plugins-namespace data-root default-cgroupns-mode
            default-gateway default-gateway-v6 default-ipc-mode default-runtime
            default-shm-size exec-root fixed-cidr fixed-cidr-v6 group host-gateway-ip init-path
            ip log-driver log-format log-level metrics-addr pidfile seccomp-profile
            storage-driver swarm-default-advertise-addr tlscacert tlscert tlskey
            userland-proxy-path userns-remap cluster-store cluster-advertise
        """)
    },
    "graph": ("data-root", _S),  # deprecated spelling of --data-root
    # integers
    **{
        name: (name, _I)
        for name in _words("""
            cpu-rt-period cpu-rt-runtime max-concurrent-downloads max-concurrent-uploads
            max-download-attempts mtu network-control-plane-mtu oom-score-adjust
            shutdown-timeout
        """)
    },
    # repeatable; daemon.json uses the plural name
    "add-runtime": ("runtimes", _L),
    "allow-nondistributable-artifacts": ("allow-nondistributable-artifacts", _L),
    "authorization-plugin": ("authorization-plugins", _L),
    "default-address-pool": ("default-address-pools", _L),
    "dns": ("dns", _L),
    "dns-opt": ("dns-opts", _L),
    "dns-search": ("dns-search", _L),
    "exec-opt": ("exec-opts", _L),
    "host": ("hosts", _L),
    "insecure-registry": ("insecure-registries", _L),
    "label": ("labels", _L),
    "node-generic-resource": ("node-generic-resources", _L),
    "registry-mirror": ("registry-mirrors", _L),
    "storage-opt": ("storage-opts", _L),
    "log-opt": ("log-opts", Kind.MAP),
    "default-ulimit": ("default-ulimits", Kind.ULIMIT),
}

#: pflag shorthands.
SHORT: dict[str, str] = {
    "b": "bridge", "D": "debug", "g": "graph", "G": "group", "H": "host", "h": "help",
    "l": "log-level", "p": "pidfile", "s": "storage-driver", "v": "version",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedArgs:
    """Settings from a command line (daemon.json keys) and what could not be understood."""

    values: dict[str, Any] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()


def _parse_bool(raw: str) -> bool | None:
    # Go strconv.ParseBool, which pflag uses for --flag=value.
    if raw in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if raw in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    return None


def _parse_ulimit(raw: str) -> tuple[str, dict[str, Any]] | None:
    name, sep, limits = raw.partition("=")
    if not sep or not name:
        return None
    soft_s, _, hard_s = limits.partition(":")
    try:
        soft = int(soft_s)
        hard = int(hard_s) if hard_s else soft
    except ValueError:
        return None
    return name, {"Name": name, "Hard": hard, "Soft": soft}


class _Parser:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.unknown: list[str] = []

    def store(self, name: str, raw: str | None) -> None:
        """Apply ``--name[=raw]``; ``raw`` is None for a bare boolean flag."""
        key, kind = FLAGS[name]
        if kind is Kind.BOOL:
            value = True if raw is None else _parse_bool(raw)
            if value is None:
                self.unknown.append(f"--{name}={raw} (not a boolean)")
            else:
                self.values[key] = value
            return
        if raw is None:  # callers always pass a value for non-boolean flags
            return
        if kind is Kind.STR:
            self.values[key] = raw
        elif kind is Kind.INT:
            try:
                self.values[key] = int(raw)
            except ValueError:
                self.values[key] = raw
        elif kind is Kind.LIST:
            self.values.setdefault(key, []).append(raw)
        elif kind is Kind.MAP:
            k, _, v = raw.partition("=")
            self.values.setdefault(key, {})[k] = v
        else:
            parsed = _parse_ulimit(raw)
            if parsed is None:
                self.unknown.append(f"--{name}={raw} (not name=soft[:hard])")
            else:
                self.values.setdefault(key, {})[parsed[0]] = parsed[1]


def parse_dockerd_args(argv: Sequence[str]) -> ParsedArgs:
    """Parse ``argv`` (``argv[0]`` is the program) into daemon.json-shaped values."""
    p = _Parser()
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            p.unknown.extend(f"positional {a!r}" for a in args[i:])
            break
        if arg.startswith("--"):
            name, eq, raw = arg[2:].partition("=")
            if name not in FLAGS:
                value: str | None = raw if eq else None
                if not eq and i < len(args) and not args[i].startswith("-"):
                    value, i = args[i], i + 1
                p.unknown.append(arg if value is None or eq else f"{arg} {value}")
                p.values[name] = True if value is None else value
                continue
            if eq or FLAGS[name][1] is Kind.BOOL:
                p.store(name, raw if eq else None)
            elif i < len(args):
                p.store(name, args[i])
                i += 1
            else:
                p.unknown.append(f"{arg} (missing value)")
        elif arg.startswith("-") and len(arg) > 1:
            i = _short_group(p, arg[1:], args, i)
        else:
            p.unknown.append(f"positional {arg!r}")
    return ParsedArgs(values=p.values, unknown=tuple(p.unknown))


def _short_group(p: _Parser, group: str, args: list[str], i: int) -> int:
    """Parse ``-Dl debug`` / ``-Hunix:///x`` / ``-H=x``; returns the next index in ``args``."""
    j = 0
    while j < len(group):
        name = SHORT.get(group[j])
        if name is None:
            p.unknown.append(f"-{group[j]}")
            return i
        rest = group[j + 1 :]
        if FLAGS[name][1] is Kind.BOOL:
            if rest.startswith("="):
                p.store(name, rest[1:])
                return i
            p.store(name, None)
            j += 1
            continue
        if rest:
            p.store(name, rest[1:] if rest.startswith("=") else rest)
        elif i < len(args):
            p.store(name, args[i])
            i += 1
        else:
            p.unknown.append(f"-{group[j]} (missing value)")
        return i
    return i
