"""Ownership and mode checks for CIS section 3, plus how each item finds its files.

Not a rule module. A *target finder* returns the stats to check or one verdict explaining
why there is nothing to check (skip) or why it cannot be known (error). ``ownership`` and
``permissions`` turn stats into one verdict per file, pointed at the host path.

"N or more restrictive" is a bit mask: a mode passes when it has no bit outside ``N``
(``mode & ~N == 0``), so 0600 passes 0644 and 0666 fails it by 0022. Setuid, setgid and
sticky bits count as bits outside ``N``.
"""

from __future__ import annotations

from collections.abc import Sequence

from seawall.audit.model import Verdict, errored, failed, passed, skipped
from seawall.audit.rules.host._common import distinct, existing, loc, lookup
from seawall.facts import AuditFacts, FileStat
from seawall.facts.daemon_config import effective_config
from seawall.facts.host_paths import (
    CERTS_DIR,
    DAEMON_JSON,
    DEFAULT_DOCKER_SOCKET,
    UNIT_DIRS,
    key,
    unit_paths,
)

Targets = Sequence[FileStat] | Verdict


def _name(value: str | None) -> str:
    return value if value is not None else "?"


def owner_text(st: FileStat) -> str:
    """``owner 1000:0 (alice:root)``."""
    return f"owner {st.uid}:{st.gid} ({_name(st.owner)}:{_name(st.group)})"


def mode_text(mode: int) -> str:
    """``0644``."""
    return f"{mode:04o}"


def ownership(facts: AuditFacts, targets: Targets, *, docker_group: bool = False) -> list[Verdict]:
    """One verdict per file: pass when owned by root and group root (or ``docker`` if allowed).

    Group ``root`` is always accepted: for the docker socket it is more restrictive than
    ``docker``, never less.
    """
    if isinstance(targets, Verdict):
        return [targets]
    want = "root:docker" if docker_group else "root:root"
    out = []
    for st in targets:
        if st.uid is None or st.gid is None:
            out.append(
                errored(f"ownership of {st.path} unknown", target=st.path, location=loc(st.path))
            )
            continue
        group_ok = st.gid == 0 or (
            docker_group and (st.group == "docker" or (st.gid == facts.host.docker_gid))
        )
        verdict = passed if st.uid == 0 and group_ok else failed
        word = "is" if verdict is passed else "is not"
        out.append(
            verdict(
                f"{st.path} {word} owned by {want}",
                owner_text(st),
                target=st.path,
                location=loc(st.path),
            )
        )
    return out


def permissions(targets: Targets, allowed: int) -> list[Verdict]:
    """One verdict per file: pass when its mode has no bit outside ``allowed``."""
    if isinstance(targets, Verdict):
        return [targets]
    out = []
    for st in targets:
        if st.mode is None:
            out.append(errored(f"mode of {st.path} unknown", target=st.path, location=loc(st.path)))
            continue
        extra = st.mode & ~allowed
        if extra:
            out.append(
                failed(
                    f"{st.path} is more permissive than {mode_text(allowed)}",
                    f"mode {mode_text(st.mode)} has bits {mode_text(extra)} beyond {mode_text(allowed)}",
                    target=st.path,
                    location=loc(st.path),
                )
            )
        else:
            out.append(
                passed(
                    f"{st.path} is {mode_text(allowed)} or more restrictive",
                    f"mode {mode_text(st.mode)}",
                    target=st.path,
                    location=loc(st.path),
                )
            )
    return out


def unit_files(facts: AuditFacts, unit: str) -> Targets:
    """The ``unit`` files found in the systemd unit directories (masked units left out)."""
    found = existing(facts, unit_paths(unit))
    if isinstance(found, Verdict):
        return found
    # A unit linked to /dev/null is masked: systemd never reads it.
    found = [st for st in found if st.resolved != "/dev/null"]
    if not found:
        return skipped(f"{unit} not found in {', '.join(UNIT_DIRS)}")
    return found


def fixed_file(facts: AuditFacts, path: str) -> Targets:
    """A file at a fixed path; skip when it does not exist (these files are optional)."""
    found = existing(facts, (path,))
    if isinstance(found, Verdict):
        return found
    if not found:
        return skipped(f"{path} does not exist on this host", target=path, location=loc(path))
    return found


def daemon_json(facts: AuditFacts) -> Targets:
    """The daemon.json the audited daemon reads (``--config-file``, else the default path)."""
    return fixed_file(facts, facts.daemon.config_path or DAEMON_JSON)


def cert_files(facts: AuditFacts) -> Targets:
    """Every file below ``/etc/docker/certs.d`` (registry certificates and keys)."""
    top = lookup(facts, CERTS_DIR)
    if isinstance(top, Verdict):
        return top
    if not top.exists:
        return skipped(f"{CERTS_DIR} does not exist: no registry certificates are configured")
    why = facts.host.errors.get("certs")
    if why:
        return errored(
            f"registry certificates not fully read: {why}",
            target=CERTS_DIR,
            location=loc(CERTS_DIR),
        )
    prefix = CERTS_DIR + "/"
    below = [st for p, st in sorted(facts.host.files.items()) if p.startswith(prefix)]
    broken = next((st for st in below if st.error), None)
    if broken is not None:
        return errored(
            f"cannot examine {broken.path}: {broken.error}",
            target=broken.path,
            location=loc(broken.path),
        )
    files = [st for st in distinct(below) if st.kind == "file"]
    if not files:
        return skipped(f"{CERTS_DIR} holds no certificate files")
    return files


def tls_file(facts: AuditFacts, setting: str) -> Targets:
    """The file named by the daemon's ``tlscacert``/``tlscert``/``tlskey`` setting."""
    cfg = effective_config(facts.daemon, facts.engine)
    if not cfg.flags_known:
        return errored(f"cannot tell whether TLS is configured: {cfg.flags_reason}")
    path = cfg.get(setting)
    if not path:
        return skipped("TLS is not configured on this daemon")
    path = str(path)
    if not path.startswith("/"):
        return errored(f"{setting} {path!r} is not an absolute path", target=path)
    found = lookup(facts, path)
    if isinstance(found, Verdict):
        return found
    if not found.exists:
        return skipped(
            f"{setting} {path} does not exist on this host", target=path, location=loc(path)
        )
    return [found]


def docker_socket(facts: AuditFacts) -> Targets:
    """The audited daemon's unix socket (``/var/run/docker.sock`` for a TCP endpoint)."""
    endpoint = facts.daemon.endpoint
    unix = endpoint.startswith("unix://") and len(endpoint) > len("unix://")
    path = key(endpoint[len("unix://") :]) if unix else DEFAULT_DOCKER_SOCKET
    found = facts.host.files.get(path)
    if unix or found is not None:
        checked = lookup(facts, path)
        if isinstance(checked, Verdict):
            return checked
        if checked.exists:
            return [checked]
    if unix:
        # Missing unix socket: the daemon is down, or the host root is not its host.
        return skipped(
            f"the audited socket {path} does not exist on this host",
            target=path,
            location=loc(path),
        )
    return skipped(f"the audited endpoint {endpoint} is TCP and there is no unix socket at {path}")
