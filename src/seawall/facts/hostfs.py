"""Read a host filesystem through ``--host-root`` without ever leaving it.

Every path is a host path (``/etc/docker``) looked up under a root directory. Symlinks are
resolved by hand, component by component, relative to the root, the way a chroot would:
an absolute target restarts at the root and ``..`` stops at it. So a hostile tree whose
``/etc/docker`` points at ``/../../etc/shadow`` only ever reaches files inside the root.
With root ``/`` this is ordinary path resolution.
"""

from __future__ import annotations

import errno
import grp
import os
import posixpath
import pwd
import stat
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from seawall.facts.host import FileStat
from seawall.facts.host_paths import key

#: Same limit as Linux (MAXSYMLINKS): more links than this is a loop.
MAX_LINKS = 40
#: Text files the collector reads (passwd, fstab, audit rules) are small; refuse giants.
MAX_TEXT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a host path leads: ``host`` is the final host path, ``fs`` the same under the root."""

    host: str
    fs: str
    exists: bool


def _split(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def resolve(root: str, path: str) -> Resolved:
    """Follow every symlink of host path ``path`` inside ``root``.

    Raises ``OSError`` for a symlink loop (``ELOOP``) or when a component cannot be examined
    (e.g. ``PermissionError``). A missing component gives ``exists=False``.
    """
    parts = deque(_split(path))
    done: list[str] = []
    links = 0
    while parts:
        comp = parts.popleft()
        if comp == ".":
            continue
        if comp == "..":
            if done:
                done.pop()
            continue
        fs = os.path.join(root, *done, comp)
        try:
            st = os.lstat(fs)
        except (FileNotFoundError, NotADirectoryError):
            host = posixpath.normpath("/" + "/".join([*done, comp, *parts]))
            return Resolved(key(host), fs, exists=False)
        if stat.S_ISLNK(st.st_mode):
            links += 1
            if links > MAX_LINKS:
                raise OSError(errno.ELOOP, "too many levels of symbolic links", path)
            target = os.readlink(fs)
            if target.startswith("/"):
                done = []
            parts.extendleft(reversed(_split(target)))
            continue
        done.append(comp)
    return Resolved("/" + "/".join(done), os.path.join(root, *done), exists=True)


class Names:
    """uid/gid -> name, from the host root's passwd/group files, or from NSS when live."""

    def __init__(
        self,
        users: Mapping[int, str] | None = None,
        groups: Mapping[int, str] | None = None,
        *,
        nss: bool = False,
    ) -> None:
        self._users = dict(users or {})
        self._groups = dict(groups or {})
        self._nss = nss

    def user(self, uid: int) -> str | None:
        """The user name of ``uid``, or ``None`` when unknown."""
        if self._nss:
            try:
                return pwd.getpwuid(uid).pw_name
            except KeyError:
                return None
        return self._users.get(uid)

    def group(self, gid: int) -> str | None:
        """The group name of ``gid``, or ``None`` when unknown."""
        if self._nss:
            try:
                return grp.getgrgid(gid).gr_name
            except KeyError:
                return None
        return self._groups.get(gid)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def describe(exc: OSError) -> str:
    """A short reason for an ``OSError`` (``permission denied``), without the root prefix."""
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def _from_stat(path: str, st: os.stat_result, names: Names, resolved: str | None) -> FileStat:
    return FileStat(
        path=path,
        exists=True,
        kind=_kind(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        mode=stat.S_IMODE(st.st_mode),
        owner=names.user(st.st_uid),
        group=names.group(st.st_gid),
        resolved=resolved,
    )


def stat_host(root: str, path: str, names: Names) -> FileStat:
    """Ownership and mode of host path ``path`` under ``root``; never raises."""
    path = key(path)
    if not path.startswith("/"):
        return FileStat(path, exists=False, error="not an absolute path")
    parent, name = posixpath.split(path)
    try:
        rp = resolve(root, parent)
        if not rp.exists:
            return FileStat(path, exists=False)
        if not name:  # the root directory itself
            return _from_stat(path, os.lstat(rp.fs), names, None)
        own = key(posixpath.join(rp.host, name))
        st = os.lstat(os.path.join(rp.fs, name))
        if not stat.S_ISLNK(st.st_mode):
            return _from_stat(path, st, names, own if own != path else None)
        target = resolve(root, own)
        if not target.exists:
            return FileStat(path, exists=False, kind="symlink", resolved=target.host)
        return _from_stat(path, os.lstat(target.fs), names, target.host)
    except (FileNotFoundError, NotADirectoryError):
        return FileStat(path, exists=False)
    except OSError as exc:
        return FileStat(path, exists=False, error=describe(exc))


def read_text(root: str, path: str, limit: int | None = None) -> str:
    """Read a small regular text file at host path ``path`` under ``root``.

    Raises ``FileNotFoundError`` when it does not exist and ``OSError`` when it cannot be read,
    is not a regular file or is larger than ``limit`` (default ``MAX_TEXT_BYTES``).
    """
    limit = MAX_TEXT_BYTES if limit is None else limit
    r = resolve(root, path)
    if not r.exists:
        raise FileNotFoundError(errno.ENOENT, "no such file", path)
    # O_NONBLOCK so that a FIFO planted at the path cannot hang the audit; O_NOFOLLOW because
    # the path is already fully resolved (a link appearing now is a race, refuse it).
    fd = os.open(r.fs, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", path)
    return data.decode("utf-8", errors="replace")


def list_dir(root: str, path: str) -> list[tuple[str, bool]]:
    """Sorted ``(name, is_real_dir)`` entries of the directory at host path ``path``.

    ``is_real_dir`` is false for a symlink to a directory (callers never descend through
    links, which keeps walks finite). Raises ``FileNotFoundError``/``OSError`` like ``read_text``.
    """
    r = resolve(root, path)
    if not r.exists:
        raise FileNotFoundError(errno.ENOENT, "no such directory", path)
    with os.scandir(r.fs) as it:
        return sorted((e.name, e.is_dir(follow_symlinks=False)) for e in it)
