"""Added capabilities: ``CapAdd``, the legacy ``Capabilities`` list, a service's ``CapabilityAdd``.

The engine upper-cases each name and adds ``CAP_`` when missing, so ``sys_admin``,
``cap_sys_admin`` and ``CAP_SYS_ADMIN`` are one capability; ``ALL`` (any case) is every one and
is allowed only when a rule lists ``ALL`` itself. Go's upper-casing maps some non-ASCII letters to
ASCII (``ſ`` to ``S``), so a name with any non-ASCII character is refused outright.
"""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints, normalise_capability
from seawall.authz.spec import Section

#: The engine's default capability set: listing them in ``Capabilities`` grants nothing new.
DEFAULT_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "NET_RAW",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)


#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("CapAdd", "Capabilities")


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """``CapAdd`` and the API 1.40 ``Capabilities`` (a whole capability set) of a section."""
    # Names are formatted only for a list that has entries (most requests add none).
    added = section.texts("CapAdd")
    if added:
        found = check_names(added, section.name("CapAdd"), constraints)
        if found is not None:
            return found
    extra = tuple(
        name
        for name in section.texts("Capabilities")
        if not name.isascii() or normalise_capability(name) not in DEFAULT_CAPABILITIES
    )
    return check_names(extra, section.name("Capabilities"), constraints) if extra else None


def check_names(names: tuple[str, ...], where: str, constraints: Constraints) -> Violation | None:
    """Each added capability must be allowed by the rule."""
    allowed = constraints.cap_add
    for raw in names:
        if not raw.isascii():
            return Violation("cap_add", f"{where} has a capability with non-ASCII letters {raw!a}")
        name = normalise_capability(raw)
        if name == "ALL":
            if "ALL" not in allowed:
                return Violation("cap_add", f"{where} adds ALL capabilities ({raw!r})")
        elif name not in allowed and "ALL" not in allowed:
            return Violation("cap_add", f"{where} adds CAP_{name} ({raw!r}), not allowed")
    return None
