"""``Sysctls``: kernel parameters set in the container's namespaces.

A rule lists names (``net.ipv4.ping_group_range``) or prefixes ending in ``.`` (``net.ipv4.``).
Names are compared with ``/`` read as ``.``, since runc accepts both separators.
"""

from __future__ import annotations

from collections.abc import Mapping

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("Sysctls",)


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """A HostConfig section's ``Sysctls``."""
    sysctls = section.text_map("Sysctls")
    return check_map(sysctls, section.name("Sysctls"), constraints) if sysctls else None


def check_map(sysctls: Mapping[str, str], where: str, constraints: Constraints) -> Violation | None:
    """Each sysctl name must be allowed by name or prefix."""
    for name in sysctls:
        if not allowed(name, constraints.sysctls):
            return Violation(
                "sysctls", f"{where} sets {name[:80]!r}, which the rule does not allow"
            )
    return None


def allowed(name: str, patterns: tuple[str, ...]) -> bool:
    """True when ``name`` equals an allowed name or starts with an allowed ``prefix.``."""
    dotted = name.replace("/", ".")
    for pattern in patterns:
        if pattern.endswith("."):
            if dotted.startswith(pattern) and len(dotted) > len(pattern):
                return True
        elif dotted == pattern:
            return True
    return False
