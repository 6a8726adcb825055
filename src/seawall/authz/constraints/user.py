"""``non_root``: created containers and execs must run as a user other than root.

The user is read as runc reads it: ``uid[:gid]`` or ``name[:group]``; a numeric uid is parsed
like Go's ``strconv.Atoi`` (a sign and leading zeros are accepted, so ``00``, ``+0`` and ``-0``
are uid 0). Root is: the empty user (the image's default, which may be root), ``root``, any
numeric uid 0, and a negative uid. Another name is accepted; it is resolved in the image's own
``/etc/passwd``, which this check cannot see (an image could map a name to uid 0: prefer numeric
uids in policies that matter).
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


def check_user(user: str, where: str, constraints: Constraints) -> Violation | None:
    """The ``User`` of a created container or service task (empty = the image's default)."""
    if not constraints.non_root or not is_root(user):
        return None
    if not user:
        return Violation(
            "non_root", f"{where} is not set, so the image's default user (maybe root) runs it"
        )
    return Violation("non_root", f"{where} is {user[:60]!r}, which is root")
