"""``Privileged``: every device, every capability, no seccomp/AppArmor confinement."""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("Privileged",)


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """A HostConfig section asking for a privileged container."""
    if section.boolean("Privileged") and not constraints.privileged:
        return Violation(
            "privileged",
            f"{section.name('Privileged')} is true (all devices and capabilities, no confinement)",
        )
    return None
