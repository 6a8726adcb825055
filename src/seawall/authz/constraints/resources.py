"""``require_resources``: limits created containers and services must set, and updates keep.

- ``memory``: ``Memory`` > 0 (a service: ``Resources.Limits.MemoryBytes`` > 0);
- ``pids``: ``PidsLimit`` > 0 (a service: ``Limits.Pids`` > 0);
- ``cpu``: ``NanoCpus`` > 0 or ``CpuQuota`` > 0 (a service: ``Limits.NanoCPUs`` > 0).
  ``CpuShares`` is a relative weight, not a limit, so it does not count.

A create's values are the ones the engine applies: those of ``HostConfig`` when present (with
``Memory`` taken from the top level when ``HostConfig`` leaves it 0, as the engine merges it),
else the top level's. On ``container.update`` a zero means "unchanged", so only removing a
limit is refused: ``PidsLimit`` 0 or negative, a negative ``Memory``, ``NanoCpus`` or
``CpuQuota`` (``-1`` is unlimited).
"""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

_MERGED = frozenset({"Memory"})


def check_create(
    body: Section, inner: Section | None, constraints: Constraints
) -> Violation | None:
    """A container create body (``inner`` is its ``HostConfig``, ``None`` when absent)."""
    required = constraints.require_resources
    if not required:
        return None

    def value(name: str) -> int:
        """The limit the engine applies (see the module docstring)."""
        if inner is None:
            return body.integer(name) or 0
        got = inner.integer(name) or 0
        if got == 0 and name in _MERGED:
            return body.integer(name) or 0
        return got

    where = "HostConfig" if inner is not None else "the body"
    if "memory" in required and value("Memory") <= 0:
        return Violation("require_resources", f"no memory limit (Memory) in {where}")
    if "pids" in required and value("PidsLimit") <= 0:
        return Violation("require_resources", f"no process limit (PidsLimit) in {where}")
    if "cpu" in required and value("NanoCpus") <= 0 and value("CpuQuota") <= 0:
        return Violation("require_resources", f"no CPU limit (NanoCpus or CpuQuota) in {where}")
    return None


def check_update(body: Section, constraints: Constraints) -> Violation | None:
    """A container update body must not remove a required limit."""
    required = constraints.require_resources
    pids = body.integer("PidsLimit")
    if "pids" in required and pids is not None and pids <= 0:
        return Violation("require_resources", f"PidsLimit {pids} removes the process limit")
    if "memory" in required and (body.integer("Memory") or 0) < 0:
        return Violation("require_resources", "a negative Memory removes the memory limit")
    if "cpu" in required:
        for name in ("NanoCpus", "CpuQuota"):
            if (body.integer(name) or 0) < 0:
                return Violation("require_resources", f"a negative {name} removes the CPU limit")
    return None


def check_service(task: Section, constraints: Constraints) -> Violation | None:
    """A service's ``TaskTemplate.Resources.Limits``."""
    required = constraints.require_resources
    if not required:
        return None
    resources = task.child("Resources")
    limits = resources.child("Limits") if resources is not None else None
    if limits is None:
        return Violation("require_resources", f"{task.name('Resources.Limits')} is not set")
    for need, name in (("memory", "MemoryBytes"), ("pids", "Pids"), ("cpu", "NanoCPUs")):
        if need in required and (limits.integer(name) or 0) <= 0:
            return Violation("require_resources", f"{limits.name(name)} is not set")
    return None
