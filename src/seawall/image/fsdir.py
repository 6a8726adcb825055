"""A directory as an image of one layer (``seawall fs PATH``), and its walker.

The tree is walked through directory file descriptors (``openat`` with ``O_NOFOLLOW``), so no
symlink is ever followed, not even one swapped in while the walk runs: symlinks are recorded
like tar symlinks (the raw target) and resolved later inside the image root. Wanted regular
files are copied (small ones into memory, the rest to the caller's temp dir); devices, FIFOs and sockets are skipped. Other
filesystems mounted below the root are not entered (like ``find -xdev``), so ``/proc`` or
``/sys`` under a scanned root are never read. The same ``WalkLimits`` apply as to layers;
``max_layer_bytes`` bounds the bytes copied, since a directory has no compressed size.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from seawall.image.source import LayerBlob
from seawall.image.spool import Notes, Spool, TruncatedData, has_surrogates, limit_error, show
from seawall.image.walk import ImageError, LayerWalk, WalkLimits
from seawall.model.inventory import ImageInfo, LayerRef

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class _Walk:
    """State of one directory walk."""

    def __init__(
        self, wanted: Callable[[str], bool], spool: Spool, limits: WalkLimits, walk: LayerWalk
    ) -> None:
        self.wanted = wanted
        self.spool = spool
        self.limits = limits
        self.walk = walk
        self.notes = Notes(walk.notes)
        self.copied = 0
        self.device = -1

    def visit(self, dir_fd: int, name: str, path: str, depth: int) -> int | None:
        """Apply one entry; return a directory fd to descend into, or ``None``."""
        walk, lim = self.walk, self.limits
        walk.entries += 1
        if walk.entries > lim.max_entries:
            raise limit_error("directory: entries", walk.entries, lim.max_entries, "max_entries")
        if len(path.encode("utf-8", "surrogateescape")) > lim.max_path_bytes:
            self.notes.add(f"skipped {show(path, 80)}: name longer than {lim.max_path_bytes} bytes")
            return None
        if depth > lim.max_depth:
            self.notes.add(f"skipped {show(path, 80)}: deeper than {lim.max_depth} levels")
            return None
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError as exc:
            self.notes.add(f"{show(path)}: cannot stat ({exc.strerror})")
            return None
        if stat.S_ISDIR(st.st_mode):
            return self._directory(dir_fd, name, path)
        if not self.wanted(path):
            return None
        if has_surrogates(path):
            self.notes.add(f"{show(path)}: name is not valid UTF-8 (kept as raw bytes)")
        if stat.S_ISLNK(st.st_mode):
            try:
                walk.symlinks[path] = os.readlink(name, dir_fd=dir_fd)
            except OSError as exc:
                self.notes.add(f"{show(path)}: cannot read the link ({exc.strerror})")
        elif stat.S_ISREG(st.st_mode):
            self._regular(dir_fd, name, path, st)
        else:
            self.notes.add(f"{show(path)}: special file ignored")
        return None

    def _directory(self, dir_fd: int, name: str, path: str) -> int | None:
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
        except OSError as exc:
            self.notes.add(f"{show(path)}: cannot open the directory ({exc.strerror})")
            return None
        if os.fstat(fd).st_dev != self.device:
            os.close(fd)
            self.notes.add(f"{show(path)}: another filesystem is mounted here; not entered")
            return None
        return fd

    def _regular(self, dir_fd: int, name: str, path: str, st: os.stat_result) -> None:
        lim = self.limits
        if st.st_size > lim.max_file_bytes:
            self.notes.add(
                f"{show(path)}: {st.st_size} bytes is over the per-file limit "
                f"({lim.max_file_bytes}, max_file_bytes); not read"
            )
            return
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
        except OSError as exc:
            why = "it was replaced by a link" if exc.errno == errno.ELOOP else exc.strerror
            self.notes.add(f"{show(path)}: cannot open ({why})")
            return
        with os.fdopen(fd, "rb") as fh:
            now = os.fstat(fh.fileno())
            if not stat.S_ISREG(now.st_mode) or now.st_size > lim.max_file_bytes:
                self.notes.add(f"{show(path)}: changed while it was read; skipped")
                return
            self.copied += now.st_size
            if self.copied > lim.max_layer_bytes:
                raise limit_error(
                    "directory: bytes read", self.copied, lim.max_layer_bytes, "max_layer_bytes"
                )
            try:
                spooled = self.spool.copy(fh, now.st_size, show(path))
            except TruncatedData:
                self.notes.add(f"{show(path)}: shrank while it was read; skipped")
                return
        mode = stat.S_IFREG | (now.st_mode & 0o7777)
        self.walk.files[path] = self.spool.file(path, spooled, now.st_size, mode)


def _scan(fd: int) -> Iterator[str]:
    """Names in the directory open as ``fd`` (sorted, so notes come out in a stable order)."""
    with os.scandir(fd) as it:
        names = sorted(entry.name for entry in it)
    yield from names


def walk_directory(
    root: str,
    *,
    wanted: Callable[[str], bool],
    tmpdir: str,
    limits: WalkLimits = WalkLimits(),  # noqa: B008 - frozen value, safe as a default
) -> LayerWalk:
    """Walk ``root`` as one layer: wanted files spooled, symlinks recorded, nothing followed.

    The result's ``diff_id`` and ``digest`` are empty (a directory has none). Raises
    ``ImageError`` when ``root`` is not a readable directory or a limit is exceeded.
    """
    walk = LayerWalk()
    spool = Spool(
        tmpdir,
        memory_file_bytes=limits.memory_file_bytes,
        memory_total_bytes=limits.memory_total_bytes,
    )
    try:
        root_fd = os.open(root, _DIR_FLAGS)
    except OSError as exc:
        raise ImageError(f"{root}: cannot open as a directory ({exc.strerror})") from None
    state = _Walk(wanted, spool, limits, walk)
    state.device = os.fstat(root_fd).st_dev
    # Depth-first with an explicit stack of (dir fd, image path, remaining names).
    stack: list[tuple[int, str, Iterator[str]]] = [(root_fd, "", _scan(root_fd))]
    try:
        while stack:
            fd, prefix, names = stack[-1]
            name = next(names, None)
            if name is None:
                os.close(fd)
                stack.pop()
                continue
            path = f"{prefix}/{name}"
            child = state.visit(fd, name, path, len(stack))
            if child is not None:
                stack.append((child, path, _scan(child)))
    except BaseException:
        spool.discard_all()
        raise
    finally:
        for fd, _, _ in stack:
            os.close(fd)
    state.notes.finish()
    return walk


@dataclass(frozen=True, slots=True)
class DirectoryImage:
    """``seawall fs PATH``: an image of one layer whose content is the directory itself."""

    info: ImageInfo
    layers: tuple[LayerBlob, ...] = field(default=())

    def close(self) -> None:
        """Nothing to release."""


def _no_blob() -> BinaryIO:
    raise ImageError("a directory has no layer blob; walk it with walk_directory")


def open_directory(path: str, *, ref: str | None = None) -> DirectoryImage:
    """An ``OpenedImage`` for a directory: one layer with ``directory`` set, no digests."""
    root = os.path.abspath(path)
    if not os.path.isdir(root):
        raise ImageError(f"{path}: not a directory")
    layer = LayerRef(index=0, diff_id="", created_by=f"directory {root}")
    info = ImageInfo(ref=ref or path, source="dir", layers=(layer,))
    blob = LayerBlob(ref=layer, open=_no_blob, stat_key=None, directory=root)
    return DirectoryImage(info=info, layers=(blob,))
