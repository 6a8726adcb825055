"""Facts about host paths named in a request, gathered before the pure decision.

The decision engine never touches the file system; the edge calls ``path_facts`` for every host
path a request names (binds, bind mounts, bind-type volume options) and puts the results in the
``Context``. A path is judged by what it really is on the host: its fully resolved form, whether
any component is a symlink, and whether the requesting user could write to it or to a directory
above it (and so swap it for a symlink between this check and the engine's use of it).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping

from seawall.authz.model import PathFacts, Subject

MAX_PATHS = 256


def path_facts(paths: Iterable[str], subject: Subject) -> Mapping[str, PathFacts]:
    """Resolve each absolute host path (at most MAX_PATHS; others are left out and so denied)."""
    out: dict[str, PathFacts] = {}
    for p in paths:
        if len(out) >= MAX_PATHS:
            break
        if p in out or not p.startswith("/") or "\x00" in p:
            continue
        out[p] = _facts(p, subject)
    return out


def _facts(path: str, subject: Subject) -> PathFacts:
    symlinked = _any_symlink(path)
    real = os.path.realpath(path) if os.path.exists(path) else None
    writable = False
    if real is not None and subject.uid is not None and subject.uid != 0:
        writable = _writable_chain(real, subject)
    return PathFacts(path=path, realpath=real, symlinked=symlinked, writable_by_subject=writable)


def _any_symlink(path: str) -> bool:
    current = ""
    for part in path.split("/"):
        if not part:
            continue
        current += "/" + part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return True
        except OSError:
            return False  # a missing component: nothing further can be a symlink yet
    return False


def _writable_chain(real: str, subject: Subject) -> bool:
    """True when the subject can write ``real`` or replace any of its ancestors."""
    gids = _gids(subject)
    parts = [p for p in real.split("/") if p]
    chain = ["/"] + ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]
    for i, p in enumerate(chain):
        try:
            st = os.lstat(p)
        except OSError:
            return True  # vanished under us: treat as unsafe
        if not _can_write(st, subject.uid, gids):
            continue
        child = chain[i + 1] if i + 1 < len(chain) else None
        if child is None:
            return True  # the path itself is writable: its content can be swapped
        if st.st_mode & stat.S_ISVTX:
            # Sticky directory (/tmp): only entries the subject owns can be replaced.
            try:
                if os.lstat(child).st_uid == subject.uid:
                    return True
            except OSError:
                return True
            continue
        return True
    return False


def _gids(subject: Subject) -> frozenset[int]:
    import grp

    gids = {subject.gid} if subject.gid is not None else set()
    for name in subject.groups:
        try:
            gids.add(grp.getgrnam(name).gr_gid)
        except KeyError:
            continue
    return frozenset(g for g in gids if g is not None)


def _can_write(st: os.stat_result, uid: int | None, gids: frozenset[int]) -> bool:
    mode = st.st_mode
    if st.st_uid == uid:
        return bool(mode & stat.S_IWUSR)
    if st.st_gid in gids:
        return bool(mode & stat.S_IWGRP)
    return bool(mode & stat.S_IWOTH)
