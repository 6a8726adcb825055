"""Confinement: ``SecurityOpt``, ``MaskedPaths``/``ReadonlyPaths``, a service's ``Privileges``.

``SecurityOpt`` entries are read as the engine reads them: ``key=value``, else the deprecated
``key:value``, and a bare ``disable`` means ``label=disable``. Without ``unconfined`` these are
refused: ``seccomp=unconfined``, a seccomp profile that allows by default or allows a
dangerous system call (``mount``, ``unshare``, ``bpf``...) with no capability condition,
``apparmor=`` anything but ``docker-default`` (an unknown profile may be unconfined),
``label=`` anything but ``level:`` (``disable``, or a ``type:``/``user:``/``role:`` such as
``spc_t``), ``systempaths=unconfined``, ``writable-cgroups=true``,
``no-new-privileges=false``, and any option this module does not know. ``MaskedPaths`` or
``ReadonlyPaths`` set at all, even to ``[]``, replace the engine's defaults (the docker CLI
sends ``[]`` for ``--security-opt systempaths=unconfined``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from seawall.authz.body import BodyError, field, parse_body
from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

#: System calls the engine's default seccomp profile blocks or grants only with a capability.
DANGEROUS_SYSCALLS = frozenset(
    {
        "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
        "delete_module", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick",
        "get_kernel_syms", "init_module", "ioperm", "iopl", "kexec_file_load", "kexec_load",
        "keyctl", "lookup_dcookie", "mount", "mount_setattr", "move_mount", "name_to_handle_at",
        "nfsservctl", "open_by_handle_at", "open_tree", "perf_event_open", "pivot_root",
        "query_module", "quotactl", "reboot", "request_key", "setns", "settimeofday", "stime",
        "swapoff", "swapon", "syslog", "umount", "umount2", "unshare", "uselib", "userfaultfd",
        "vm86", "vm86old",
    }
)  # fmt: skip
_ALLOW_ACTIONS = frozenset({"SCMP_ACT_ALLOW", "SCMP_ACT_LOG"})


#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("SecurityOpt", "MaskedPaths", "ReadonlyPaths")


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """``SecurityOpt``, ``MaskedPaths`` and ``ReadonlyPaths`` of a HostConfig section."""
    if constraints.unconfined:
        return None
    for opt in section.texts("SecurityOpt"):
        problem = option_problem(opt)
        if problem is not None:
            return Violation("unconfined", f"{section.name('SecurityOpt')}: {problem}")
    for name in ("MaskedPaths", "ReadonlyPaths"):
        if section.has(name):
            return Violation(
                "unconfined", f"{section.name(name)} is set, replacing the engine's defaults"
            )
    return None


def option_problem(opt: str) -> str | None:
    """Why one ``SecurityOpt`` entry loosens confinement; ``None`` when it does not."""
    if opt == "no-new-privileges":
        return None
    if opt == "disable":
        return "'disable' turns SELinux labelling off"
    sep = "=" if "=" in opt else ":"
    key, found, value = opt.partition(sep)
    shown = f"{key[:40]}{sep}{value[:40]}"
    if not found:
        return f"{opt[:60]!r} is not an option seawall understands"
    if key == "seccomp":
        problem = seccomp_problem(value)
        return None if problem is None else f"seccomp {problem}"
    if key == "apparmor":
        return None if value == "docker-default" else f"{shown!r} (only docker-default)"
    if key == "label":
        return None if value.startswith("level:") else f"{shown!r} changes SELinux confinement"
    if key == "no-new-privileges":
        return None if value in ("", "true") else f"{shown!r} lets processes gain privileges"
    if key == "writable-cgroups":
        return None if value == "false" else f"{shown!r} makes the cgroup file system writable"
    if key == "systempaths":
        return f"{shown!r} unmasks /proc and /sys paths"
    return f"{shown!r} is not an option seawall understands"


def seccomp_problem(value: str) -> str | None:
    """Why a seccomp setting (``unconfined``, ``builtin`` or a JSON profile) is unconfined.

    A profile is parsed as strictly as a body (Go matches its keys case-insensitively too).
    """
    if value in ("", "builtin"):
        return None
    if value == "unconfined":
        return "is unconfined"
    try:
        profile = parse_body(value.encode("utf-8", "surrogatepass"))
    except BodyError as exc:
        return f"profile is neither a known name nor a JSON object ({exc})"
    return profile_problem(profile)


def profile_problem(profile: Mapping[str, object]) -> str | None:
    """A JSON seccomp profile that allows by default or allows a dangerous call unconditionally."""
    default = field(profile, "defaultAction")
    if default in _ALLOW_ACTIONS:
        return f"profile allows every system call by default ({default})"
    rules = field(profile, "syscalls") or []
    if not isinstance(rules, list):
        return "profile 'syscalls' is not a list"
    for rule in rules:
        if not isinstance(rule, dict):
            return "profile has a syscall rule that is not an object"
        if field(rule, "action") not in _ALLOW_ACTIONS or _conditional(rule):
            continue
        names = field(rule, "names") or [field(rule, "name")]
        if not isinstance(names, list):
            return "profile has a syscall rule whose names are not a list"
        risky = sorted(n for n in names if isinstance(n, str) and n in DANGEROUS_SYSCALLS)
        if risky:
            return f"profile allows {risky[0]} without a capability condition"
    return None


def _conditional(rule: Mapping[str, object]) -> bool:
    """True when the rule applies only to containers holding a capability (which CapAdd judges).

    Argument filters do not count: ``SCMP_CMP_GE 0`` is no condition at all.
    """
    includes = field(rule, "includes")
    return isinstance(includes, dict) and bool(field(includes, "caps"))


def check_privileges(spec: Section, constraints: Constraints) -> Violation | None:
    """A service's ``ContainerSpec.Privileges`` (SELinux, seccomp, AppArmor)."""
    privileges = spec.child("Privileges")
    if privileges is None or constraints.unconfined:
        return None
    problem = _privileges_problem(privileges)
    if problem is None:
        return None
    return Violation("unconfined", f"{privileges.name(problem[0])}: {problem[1]}")


def _privileges_problem(privileges: Section) -> tuple[str, str] | None:
    selinux = privileges.child("SELinuxContext")
    if selinux is not None:
        if selinux.boolean("Disable"):
            return "SELinuxContext", "Disable is true"
        for name in ("User", "Role", "Type"):
            if selinux.text(name):
                return "SELinuxContext", f"{name} is {selinux.text(name)[:40]!r}"
    seccomp = privileges.child("Seccomp")
    if seccomp is not None:
        problem = _service_seccomp(seccomp)
        if problem is not None:
            return "Seccomp", problem
    apparmor = privileges.child("AppArmor")
    if apparmor is not None and apparmor.text("Mode") not in ("", "default"):
        return "AppArmor", f"Mode is {apparmor.text('Mode')[:40]!r}"
    return None


def _service_seccomp(seccomp: Section) -> str | None:
    mode = seccomp.text("Mode")
    if mode in ("", "default"):
        return None
    if mode != "custom":
        return f"Mode is {mode[:40]!r}"
    try:
        profile = base64.b64decode(seccomp.text("Profile"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "Profile is not base64-encoded JSON"
    problem = seccomp_problem(profile)
    return None if problem is None else f"custom {problem}"
