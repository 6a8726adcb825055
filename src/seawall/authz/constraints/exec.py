"""``container.exec``: a privileged exec, and the user an exec runs as.

An exec with an empty ``User`` runs as the container's user, so the edge's lookup of the
target container decides; when the edge could not look it up (the AuthZ plugin never can),
the exec is denied with a hint to name a non-root user explicitly (``docker exec -u UID``).
"""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.constraints.user import root_problem
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section


def check_exec(body: Section, constraints: Constraints, context: Context) -> Violation | None:
    """An exec create body (``POST /containers/{id}/exec``)."""
    if body.boolean("Privileged") and not constraints.exec_privileged:
        return Violation("exec_privileged", "Privileged is true (the exec gets every capability)")
    if not constraints.non_root:
        return None
    user = body.text("User")
    if user:
        problem = root_problem(user, "User")
        return Violation("non_root", problem) if problem else None
    target = context.target
    if not target.known:
        return Violation(
            "non_root",
            "User is empty, so the exec runs as the container's user, which cannot be "
            "verified here; pass a non-root user (docker exec -u UID)",
        )
    if root_problem(target.user or "", "its User") is not None:
        runs_as = repr(target.user) if target.user else "root (it sets no user)"
        return Violation(
            "non_root", f"User is empty and the container runs as {runs_as}, not a numeric uid"
        )
    return None
