"""``CgroupParent``: placing the container in a cgroup of the caller's choosing (outside the
engine's limits and accounting), also the ``cgroupparent`` query of a classic build."""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("CgroupParent",)


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """A HostConfig (or update) section setting ``CgroupParent``."""
    value = section.text("CgroupParent")
    return check_value(value, section.name("CgroupParent"), constraints) if value else None


def check_value(value: str, where: str, constraints: Constraints) -> Violation | None:
    """A cgroup parent named anywhere (``where`` names the field or query parameter)."""
    if value and not constraints.cgroup_parent:
        return Violation("cgroup_parent", f"{where} is {value[:80]!r}")
    return None
