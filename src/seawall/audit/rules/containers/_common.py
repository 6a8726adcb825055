"""Small pure helpers shared by the container runtime rules (CIS section 5).

Only interpretation of values already in ``ContainerFacts`` / ``AuditFacts`` lives here: what
counts as "all interfaces", how a mount or a port is shown in evidence, how Docker spells a
boolean security option; and one shared gate, ``exec_records``, the skip/error verdict of the
rules that read exec sessions (RT023, RT024). No other rule logic.
"""

from __future__ import annotations

import ipaddress
import posixpath
from collections.abc import Iterable

from seawall.audit.model import Verdict, errored, skipped
from seawall.facts import AuditFacts, ContainerFacts
from seawall.facts.container import ExecFacts, Mount, PortBinding

#: Capabilities Docker grants a container by default (moby ``oci/caps/defaults.go``).
DEFAULT_CAPS: frozenset[str] = frozenset(
    {
        "CHOWN",
        "DAC_OVERRIDE",
        "FSETID",
        "FOWNER",
        "MKNOD",
        "NET_RAW",
        "SETGID",
        "SETUID",
        "SETFCAP",
        "SETPCAP",
        "NET_BIND_SERVICE",
        "SYS_CHROOT",
        "KILL",
        "AUDIT_WRITE",
    }
)

# Go's strconv.ParseBool, which dockerd uses for ``no-new-privileges:<bool>``.
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def go_bool(value: str) -> bool | None:
    """Parse a boolean the way Go's ``strconv.ParseBool`` does; ``None`` when it is not one."""
    if value in _GO_TRUE:
        return True
    if value in _GO_FALSE:
        return False
    return None


def clean_path(path: str) -> str:
    """Normalise an absolute host path (``//etc/`` -> ``/etc``); relative paths are kept."""
    if not path:
        return path
    cleaned = posixpath.normpath(path)
    # POSIX keeps a leading "//" as implementation-defined; the kernel treats it as "/".
    return "/" + cleaned.lstrip("/") if cleaned.startswith("/") else cleaned


def is_within(path: str, root: str) -> bool:
    """True when ``path`` is ``root`` or below it (component-wise: ``/etcetera`` is not in ``/etc``)."""
    path, root = clean_path(path), clean_path(root)
    if root == "/":
        return path.startswith("/")
    return path == root or path.startswith(root + "/")


def mount_str(m: Mount) -> str:
    """``/etc -> /host-etc (ro)``: how a mount appears in evidence."""
    return f"{m.source} -> {m.destination} ({'rw' if m.rw else 'ro'})"


def bind_mounts(c: ContainerFacts) -> tuple[Mount, ...]:
    """The container's host bind mounts (volumes and tmpfs are managed by the engine)."""
    return tuple(m for m in c.mounts if m.type == "bind")


def published_ports(c: ContainerFacts) -> tuple[PortBinding, ...]:
    """Ports the container really publishes on the host.

    With ``--network host`` dockerd discards ``-p`` bindings (they stay recorded in
    ``HostConfig.PortBindings`` but nothing is published), so they are not reported.
    """
    if c.network_mode == "host":
        return ()
    return c.ports


def is_all_interfaces(host_ip: str) -> bool:
    """True for an empty host IP or an unspecified address (``0.0.0.0``, ``::``)."""
    ip = host_ip.strip().strip("[]")
    if not ip:
        return True
    try:
        return ipaddress.ip_address(ip).is_unspecified
    except ValueError:
        return False


def port_str(p: PortBinding) -> str:
    """``0.0.0.0:80->80/tcp`` / ``[::]:8080->8080/tcp`` / ``127.0.0.1:<random>->53/udp``."""
    ip = p.host_ip or "0.0.0.0"  # noqa: S104 - an empty HostIp means every IPv4/IPv6 address
    if ":" in ip:
        ip = f"[{ip}]"
    host_port = str(p.host_port) if p.host_port else "<random>"
    return f"{ip}:{host_port}->{p.container_port}/{p.protocol}"


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """De-duplicate while keeping the first-seen order."""
    return tuple(dict.fromkeys(items))


def engine_security_options(facts: AuditFacts) -> tuple[str, ...] | None:
    """The engine's ``/info`` ``SecurityOptions``; ``None`` when the engine did not report them."""
    if facts.engine is None:
        return None
    raw = facts.engine.info.get("SecurityOptions")
    if not isinstance(raw, list):
        return None
    return tuple(str(o) for o in raw)


def engine_security_option(facts: AuditFacts, name: str) -> dict[str, str] | None:
    """The ``name=<name>,k=v,...`` entry of ``SecurityOptions`` as a dict, or ``None`` if absent."""
    for opt in engine_security_options(facts) or ():
        fields = dict(part.partition("=")[::2] for part in opt.split(","))
        if fields.get("name") == name:
            return fields
    return None


def security_opt_values(c: ContainerFacts, key: str) -> tuple[str, ...]:
    """Values of ``key=VALUE`` / ``key:VALUE`` entries of ``HostConfig.SecurityOpt``, in order."""
    out = []
    for opt in c.security_opt:
        for sep in ("=", ":"):
            if opt.startswith(key + sep):
                out.append(opt[len(key) + 1 :])
                break
    return tuple(out)


def is_root_user(user: str) -> bool:
    """True when a ``user[:group]`` spec runs as uid 0 (empty counts as root: the image default)."""
    name = user.partition(":")[0].strip()
    return name in ("", "root", "0")


def short_id(value: str) -> str:
    """The 12-character form of an engine ID, as ``docker ps`` shows it."""
    return value.split(":", 1)[-1][:12]


def exec_str(e: ExecFacts) -> str:
    """``exec 0123456789ab: /bin/sh (user root)``. Only the executable: arguments may hold secrets."""
    argv0 = e.command.split(maxsplit=1)[0] if e.command.strip() else "?"
    return f"exec {short_id(e.id)}: {argv0} (user {e.user or 'default'})"


def exec_records(c: ContainerFacts) -> tuple[ExecFacts, ...] | Verdict:
    """The container's exec sessions, or the ``skip`` (not running) / ``error`` (unread) verdict.

    The engine keeps exec records only while a container runs.
    """
    if not c.running:
        return skipped("exec records exist only while a container runs")
    if c.execs is None:
        return errored(c.execs_error or "the container's exec records could not be read")
    return c.execs
