"""Who is calling: unix users (kernel credentials + NSS groups), certificate CNs, service tokens.

Groups come from the host's NSS (``getgrouplist``), not from the caller's kernel credentials
(SO_PEERGROUPS): NSS is what LDAP / Active Directory via sssd feeds, so removing someone from a
directory group takes effect at their next request without a new login, and the same lookup
serves every edge. The trade-off: a process that dropped a group with ``setgroups`` is still
judged by its directory groups. Lookups are cached for a short time so a busy proxy does not
query the directory on every request.
"""

from __future__ import annotations

import grp
import hashlib
import hmac
import os
import pwd
import threading
import time

from seawall.authz.model import Subject, SubjectKind
from seawall.authz.policy import Policy

#: Seconds a user's name and groups are cached.
NSS_TTL = 30.0

#: (uid, gid) -> (when, name, groups): the connection's gid is part of the answer.
_cache: dict[tuple[int, int], tuple[float, str, frozenset[str]]] = {}
_lock = threading.Lock()


def _nss(uid: int, gid: int) -> tuple[str, frozenset[str]]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get((uid, gid))
    if hit is not None and now - hit[0] < NSS_TTL:
        return hit[1], hit[2]
    try:
        pw = pwd.getpwuid(uid)
    except KeyError:
        # No such user in NSS: a name nobody can bind by accident, no groups beyond the gid.
        name, gids = f"#{uid}", [gid]
    else:
        name = pw.pw_name
        gids = [*os.getgrouplist(name, pw.pw_gid), gid]
    groups = set()
    for g in gids:
        try:
            groups.add(grp.getgrgid(g).gr_name)
        except KeyError:
            groups.add(f"#{g}")
    result = (name, frozenset(groups))
    with _lock:
        _cache[(uid, gid)] = (now, *result)
    return result


def subject_for_uid(uid: int, gid: int, pid: int | None, policy: Policy | None = None) -> Subject:
    """The subject of a unix-socket peer identified by the kernel (SO_PEERCRED)."""
    name, groups = _nss(uid, gid)
    return Subject(SubjectKind.USER, name, uid=uid, gid=gid, pid=pid, groups=groups)


def subject_for_user(name: str, extra_groups: tuple[str, ...] = ()) -> Subject:
    """The subject for a user name (``seawall authz check --user``); KeyError when unknown."""
    pw = pwd.getpwnam(name)
    _, groups = _nss(pw.pw_uid, pw.pw_gid)
    return Subject(
        SubjectKind.USER,
        pw.pw_name,
        uid=pw.pw_uid,
        gid=pw.pw_gid,
        groups=groups | frozenset(extra_groups),
    )


def subject_for_cert(cn: str) -> Subject:
    """The subject of a TLS client whose certificate CN the engine passed on."""
    return Subject(SubjectKind.CERT, cn)


def subject_for_token(value: str, policy: Policy) -> Subject | None:
    """The named token whose SHA-256 matches ``value`` (constant-time), else None."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()
    found = None
    for token in policy.tokens:
        # Compare against every token so timing does not reveal which one matched.
        if hmac.compare_digest(digest, token.sha256):
            found = token.name
    return Subject(SubjectKind.TOKEN, found) if found is not None else None


def anonymous(policy: Policy | None) -> Subject:
    """The subject of a request that carries no identity at all."""
    return Subject(SubjectKind.ANONYMOUS, policy.anonymous_name if policy else "local")
