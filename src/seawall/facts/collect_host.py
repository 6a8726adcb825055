"""Collect ``HostFacts`` for CIS sections 1 and 3: files, audit rules, mounts, groups, kernel.

The I/O edge of the host checks. Host files are read through ``root`` (``--host-root``) with
``facts.hostfs``, which never follows a symlink out of it. Live-kernel sources (``auditctl
-l``, ``/proc/self/mounts``, ``uname``, ``/sys``) are used only when ``root`` is ``/``; for
another root the audit rules come from its rules files and the mounts from its ``fstab``.

Never raises for missing or unreadable things: a part that cannot be read is ``None`` with a
reason in ``HostFacts.errors[part]``; a path that cannot be examined gets ``FileStat.error``.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shlex
import shutil
import subprocess
from collections.abc import Sequence

from seawall.facts.host import FileStat, HostFacts, MountPoint
from seawall.facts.host_paths import CERTS_DIR, DEFAULT_DATA_ROOT, collected_paths, key
from seawall.facts.hostfs import Names, describe, list_dir, read_text, stat_host

#: Seconds ``auditctl -l`` may take before the collector falls back to the rules files.
AUDITCTL_TIMEOUT = 10.0
#: Entries examined below ``/etc/docker/certs.d`` at most (a real one holds a handful).
MAX_CERT_ENTRIES = 2000
AUDIT_RULES_FILE = "/etc/audit/audit.rules"
AUDIT_RULES_DIR = "/etc/audit/rules.d"


def is_live(root: str) -> bool:
    """True when ``root`` is the running system's ``/`` (live-kernel sources apply)."""
    return os.path.realpath(root) == "/"


def _parse_colon_file(text: str) -> list[list[str]]:
    return [line.split(":") for line in text.splitlines() if line and not line.startswith("#")]


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _accounts(
    root: str, live: bool, errors: dict[str, str]
) -> tuple[Names, list[list[str]] | None, list[list[str]] | None]:
    """Name lookups plus the raw passwd/group rows (``None`` when live or unreadable)."""
    if live:
        return Names(nss=True), None, None
    rows: dict[str, list[list[str]] | None] = {}
    for part, path in (("users", "/etc/passwd"), ("groups", "/etc/group")):
        try:
            rows[part] = _parse_colon_file(read_text(root, path))
        except OSError as exc:
            rows[part] = None
            errors[part] = f"cannot read {path} under {root}: {describe(exc)}"
    users = {u: r[0] for r in rows["users"] or [] if len(r) > 2 and (u := _int(r[2])) is not None}
    groups = {g: r[0] for r in rows["groups"] or [] if len(r) > 2 and (g := _int(r[2])) is not None}
    return Names(users, groups), rows["users"], rows["groups"]


def _docker_group(
    live: bool,
    passwd: list[list[str]] | None,
    group: list[list[str]] | None,
    errors: dict[str, str],
) -> tuple[tuple[str, ...] | None, int | None]:
    """Members of the ``docker`` group (explicit members plus users whose primary group it is)."""
    if live:
        try:
            g = grp.getgrnam("docker")
        except KeyError:
            return (), None
        primary = [p.pw_name for p in pwd.getpwall() if p.pw_gid == g.gr_gid]
        return tuple(sorted({*g.gr_mem, *primary})), g.gr_gid
    if group is None:
        return None, None
    entry = next((r for r in group if r[0] == "docker" and len(r) > 2), None)
    if entry is None:
        return (), None
    gid = _int(entry[2])
    members = {m.strip() for m in (entry[3] if len(entry) > 3 else "").split(",") if m.strip()}
    if passwd is None:
        # Users whose primary group is docker are members too; without passwd the list is partial.
        errors["groups"] = (
            f"docker group members incomplete: {errors.get('users', 'passwd unreadable')}"
        )
        return None, gid
    members |= {r[0] for r in passwd if len(r) > 3 and gid is not None and _int(r[3]) == gid}
    return tuple(sorted(members)), gid


def _auditctl() -> tuple[tuple[str, ...] | None, str]:
    """Loaded rules from ``auditctl -l``, or ``None`` and why it could not run."""
    exe = shutil.which(
        "auditctl", path=os.pathsep.join([os.environ.get("PATH", ""), "/sbin", "/usr/sbin"])
    )
    if exe is None:
        return None, "auditctl not found"
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [exe, "-l"], capture_output=True, text=True, timeout=AUDITCTL_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"auditctl -l failed: {exc}"
    if proc.returncode != 0:
        first = (proc.stderr or proc.stdout).strip().splitlines()
        return None, f"auditctl -l exited {proc.returncode}: {first[0] if first else 'no output'}"
    lines = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip()]
    # auditctl prints "No rules" for an empty rule list.
    return tuple(ln for ln in lines if ln != "No rules"), "auditctl -l"


def _audit_files(root: str) -> tuple[tuple[str, ...] | None, str, str | None]:
    """Rules from the audit rules files: (lines, source, error)."""
    paths = [AUDIT_RULES_FILE]
    try:
        paths += [
            f"{AUDIT_RULES_DIR}/{n}"
            for n, is_dir in list_dir(root, AUDIT_RULES_DIR)
            if n.endswith(".rules") and not is_dir
        ]
    except FileNotFoundError:
        pass
    except OSError as exc:
        return None, AUDIT_RULES_DIR, f"cannot list {AUDIT_RULES_DIR}: {describe(exc)}"
    lines: list[str] = []
    read: list[str] = []
    for path in paths:
        try:
            text = read_text(root, path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return None, path, f"cannot read {path}: {describe(exc)}"
        read.append(path)
        lines += [s for ln in text.splitlines() if (s := ln.strip()) and not s.startswith("#")]
    if not read:
        return (), f"no audit rules files ({AUDIT_RULES_FILE}, {AUDIT_RULES_DIR}/*.rules)", None
    return tuple(lines), ", ".join(read), None


def _audit_rules(
    root: str, live: bool, errors: dict[str, str]
) -> tuple[tuple[str, ...] | None, str]:
    why = ""
    if live:
        rules, why = _auditctl()
        if rules is not None:
            return rules, why
    lines, source, error = _audit_files(root)
    if why:
        source = f"{source} ({why})"
    if error:
        errors["audit_rules"] = f"{why}; {error}" if why else error
    return lines, source


_ESCAPE = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    # /proc/mounts and fstab encode space, tab, newline and backslash as octal (\040 ...).
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def _parse_mounts(text: str) -> tuple[MountPoint, ...]:
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[0].startswith("#"):
            continue
        mountpoint = _unescape(fields[1])
        if not mountpoint.startswith("/"):  # swap, "none"
            continue
        out.append(
            MountPoint(
                mountpoint=key(mountpoint),
                device=_unescape(fields[0]),
                fstype=fields[2],
                options=fields[3] if len(fields) > 3 else "",
            )
        )
    return tuple(out)


def _mounts(root: str, live: bool, errors: dict[str, str]) -> tuple[MountPoint, ...] | None:
    source = "/proc/self/mounts" if live else "/etc/fstab"
    try:
        if live:
            with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
                return _parse_mounts(fh.read())
        return _parse_mounts(read_text(root, source))
    except OSError as exc:
        where = "" if live else f" under {root}"
        errors["mounts"] = f"cannot read {source}{where}: {describe(exc)}"
        return None


def _os_release(root: str) -> dict[str, str]:
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        try:
            text = read_text(root, path)
        except OSError:
            continue
        out = {}
        for line in text.splitlines():
            name, sep, value = line.strip().partition("=")
            if not sep or name.startswith("#"):
                continue
            try:
                words = shlex.split(value)
            except ValueError:
                words = [value.strip("\"'")]
            out[name] = words[0] if words else ""
        return out
    return {}


def _read_sys(path: str) -> str:
    with open(path, encoding="ascii", errors="replace") as fh:
        return fh.read().strip()


def _kernel(
    live: bool, root: str, errors: dict[str, str]
) -> tuple[str | None, bool | None, bool | None]:
    """Kernel release, AppArmor enabled, SELinux enabled (live only)."""
    if not live:
        reason = f"host root {root} is not the running system: live kernel facts are not read"
        for part in ("kernel", "apparmor", "selinux"):
            errors[part] = reason
        return None, None, None
    apparmor: bool | None
    try:
        apparmor = _read_sys("/sys/module/apparmor/parameters/enabled").upper().startswith("Y")
    except FileNotFoundError:
        apparmor = False  # the module is not loaded
    except OSError as exc:
        apparmor = None
        errors["apparmor"] = f"cannot read /sys/module/apparmor/parameters/enabled: {describe(exc)}"
    # selinuxfs exposes "enforce" whenever SELinux is enabled (enforcing or permissive).
    selinux = os.path.exists("/sys/fs/selinux/enforce")
    return os.uname().release, apparmor, selinux


def _cert_files(root: str, names: Names, errors: dict[str, str]) -> list[FileStat]:
    """Every entry below ``CERTS_DIR``, recursively, never descending through symlinks."""
    out: list[FileStat] = []
    stack = [CERTS_DIR]
    while stack:
        d = stack.pop()
        try:
            entries = list_dir(root, d)
        except FileNotFoundError:
            continue
        except OSError as exc:
            errors["certs"] = f"cannot list {d}: {describe(exc)}"
            continue
        for name, is_dir in entries:
            if len(out) >= MAX_CERT_ENTRIES:
                errors["certs"] = f"more than {MAX_CERT_ENTRIES} entries below {CERTS_DIR}; stopped"
                return out
            path = f"{d}/{name}"
            out.append(stat_host(root, path, names))
            if is_dir:
                stack.append(path)
    return out


def collect_host(
    root: str = "/",
    *,
    extra_paths: Sequence[str] = (),
    data_root: str = DEFAULT_DATA_ROOT,
    socket_path: str | None = None,
) -> HostFacts:
    """Collect the host facts the CIS host sections need, reading host files under ``root``.

    ``extra_paths`` are further host paths to stat (TLS files, daemon.json named by the
    daemon's configuration); ``data_root`` is the daemon's data root; ``socket_path`` the
    audited unix socket. Never raises for missing or unreadable data.
    """
    live = is_live(root)
    errors: dict[str, str] = {}
    paths = collected_paths(data_root=data_root, socket_path=socket_path, extra=extra_paths)
    trust = os.environ.get("DOCKER_CONTENT_TRUST")
    if not os.path.isdir(root):
        reason = f"host root {root} is not a directory"
        for part in ("root", "audit_rules", "mounts", "groups", "kernel", "apparmor", "selinux"):
            errors[part] = reason
        files = {p: FileStat(p, exists=False, error=reason) for p in paths}
        return HostFacts(
            root=root,
            live=live,
            files=files,
            errors=errors,
            data_root=key(data_root),
            content_trust=trust,
        )
    names, passwd, group = _accounts(root, live, errors)
    files = {p: stat_host(root, p, names) for p in paths}
    files.update((st.path, st) for st in _cert_files(root, names, errors))
    members, docker_gid = _docker_group(live, passwd, group, errors)
    audit_rules, audit_source = _audit_rules(root, live, errors)
    kernel, apparmor, selinux = _kernel(live, root, errors)
    return HostFacts(
        root=root,
        live=live,
        files=files,
        audit_rules=audit_rules,
        audit_source=audit_source,
        mounts=_mounts(root, live, errors),
        docker_group_members=members,
        docker_gid=docker_gid,
        kernel=kernel,
        os_release=_os_release(root),
        apparmor_enabled=apparmor,
        selinux_enabled=selinux,
        content_trust=trust,
        errors=errors,
        data_root=key(data_root),
    )
