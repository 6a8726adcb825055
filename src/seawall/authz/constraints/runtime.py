"""``Runtime``: the OCI runtime that runs the container (empty means the daemon's default)."""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("Runtime",)


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """A HostConfig section naming a runtime the rule does not allow."""
    value = section.text("Runtime")
    if value and value not in constraints.runtimes:
        allowed = ", ".join(sorted(constraints.runtimes)) or "none"
        return Violation(
            "runtimes", f"{section.name('Runtime')} is {value[:80]!r} (allowed: {allowed})"
        )
    return None
