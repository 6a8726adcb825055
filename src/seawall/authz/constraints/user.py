"""``non_root``: created containers and execs must run as a user other than root.

The user is read as runc reads it: ``uid[:gid]`` or ``name[:group]``; a numeric uid is parsed
like Go's ``strconv.Atoi`` (a sign and leading zeros are accepted, so ``00``, ``+0`` and ``-0``
are uid 0). Root is: the empty user (the image's default, which may be root), ``root``, any
numeric uid 0, and a negative uid. Any other *name* is refused too: runc resolves it in the
image's own ``/etc/passwd``, which the decision cannot see, and an image can map ``app`` to uid 0.
So ``non_root`` means a numeric, non-zero uid (``-u 1000`` or ``-u 1000:1000``).
"""

from __future__ import annotations

import re

from seawall.authz.constraints import Violation
from seawall.authz.policy import Constraints

_NUMBER = re.compile(r"[+-]?[0-9]+")


def is_root(user: str) -> bool:
    """True when ``user`` (``uid[:gid]`` or ``name[:group]``) runs as root or may."""
    uid = user.split(":", 1)[0]
    if uid in ("", "root"):
        return True
    if _NUMBER.fullmatch(uid):
        return int(uid) <= 0
    return False


def root_problem(user: str, where: str) -> str | None:
    """Why ``user`` does not prove a non-root process, or None when it is a numeric uid > 0."""
    if not user:
        return f"{where} is not set, so the image's default user (maybe root) runs it"
    if is_root(user):
        return f"{where} is {user[:60]!r}, which is root"
    if not _NUMBER.fullmatch(user.split(":", 1)[0]):
        return (
            f"{where} is {user[:60]!r}, a name the image's own /etc/passwd resolves (it may "
            "map it to uid 0); give a numeric uid such as 1000"
        )
    return None


def check_user(user: str, where: str, constraints: Constraints) -> Violation | None:
    """The ``User`` of a created container or service task (empty = the image's default)."""
    if not constraints.non_root:
        return None
    problem = root_problem(user, where)
    return Violation("non_root", problem) if problem else None
