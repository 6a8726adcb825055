"""Helpers shared by the layer walkers: path normalisation, bounded notes, spooling.

Kept apart from ``layers.py`` (tar streams) and ``fsdir.py`` (directories) so both walkers
apply the same rules: image paths are absolute and ``/``-separated, never escape the root,
and are shown in notes with control characters and undecodable bytes escaped.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import tempfile
from collections.abc import Callable
from typing import BinaryIO, Protocol

from seawall.image.walk import ImageError, SpooledFile

#: Notes kept per layer; beyond this they are only counted (a layer of a million odd entries
#: must not become a million-line report).
MAX_NOTES = 200
#: Copy buffer size for spooling.
CHUNK = 1024 * 1024
_CREATE = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
)


class Readable(Protocol):
    """Anything with ``read(n)``: tar member streams, files, HTTP bodies."""

    def read(self, n: int = -1, /) -> bytes:
        """Up to ``n`` bytes; ``b""`` at the end."""
        ...


def show(path: str, limit: int = 240) -> str:
    """A path as safe one-line text: undecodable bytes as ``\\xNN``, control characters escaped."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_surrogates(name: str) -> bool:
    """True when a name held bytes that are not UTF-8 (decoded with ``surrogateescape``)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def normalise(name: str) -> str | None:
    """``./usr//bin/../lib`` -> ``/usr/lib``; ``None`` when ``..`` would climb above the root.

    Leading ``./`` and ``/`` are dropped (absolute tar names are relative to the image root,
    as Docker applies them); ``..`` is collapsed lexically, as Go's ``filepath.Clean`` does
    when Docker applies a layer, and refused when it escapes.
    """
    # Fast path (almost every name): no empty, "." or ".." part, so only the slashes at either
    # end can go. Every such part would show up as "//", "/." or a leading ".".
    if "//" not in name and "/." not in name and not name.startswith("."):
        return "/" + name.strip("/")
    parts: list[str] = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/" + "/".join(parts)


class Notes:
    """Notes of one walk, capped at ``MAX_NOTES`` (the rest are counted, then summarised)."""

    def __init__(self, out: list[str]) -> None:
        self._out = out
        self._dropped = 0

    def add(self, text: str) -> None:
        """Record one note (one line)."""
        if len(self._out) < MAX_NOTES:
            self._out.append(text)
        else:
            self._dropped += 1

    def finish(self) -> None:
        """Append the summary of the notes that were not kept."""
        if self._dropped:
            self._out.append(f"{self._dropped} more notes like the above were not listed")
            self._dropped = 0


def _open_spooled(path: str) -> BinaryIO:
    return open(path, "rb")


#: Prefix of the keys of files kept in memory (a NUL never starts a temp file's path).
_MEMORY = "\x00memory-"


class Spool:
    """Wanted files of one walk: small ones kept in memory, the rest as temp files in ``tmpdir``.

    A file of at most ``memory_file_bytes`` is kept in memory while the walk's in-memory files
    total at most ``memory_total_bytes`` (``WalkLimits``); anything else is copied to a temp
    file, so memory stays bounded whatever the layer holds. Both kinds are reference-counted
    under one key (hard links share one copy) and released the same way.
    """

    def __init__(
        self, tmpdir: str, *, memory_file_bytes: int = 0, memory_total_bytes: int = 0
    ) -> None:
        self.tmpdir = tmpdir
        self._refs: dict[str, int] = {}
        self._memory: dict[str, bytes] = {}
        self._memory_file = memory_file_bytes
        self._memory_left = memory_total_bytes
        self._prefix = os.path.join(tmpdir, f"spool-{os.urandom(6).hex()}-")
        self._made = 0

    def _create(self) -> tuple[int, str]:
        """A new empty temp file, registered; ``O_EXCL`` never opens an existing file or link.

        Named from a random per-walk prefix and a counter (cheaper than ``mkstemp``'s random
        name per file); on the unlikely clash ``mkstemp`` picks one.
        """
        self._made += 1
        path = f"{self._prefix}{self._made}"
        try:
            fd = os.open(path, _CREATE, 0o600)
        except FileExistsError:
            fd, path = tempfile.mkstemp(dir=self.tmpdir, prefix="spool-")
        self._refs[path] = 1
        return fd, path

    def _in_memory(self, size: int) -> bool:
        return 0 <= size <= self._memory_file and size <= self._memory_left

    def _keep(self, data: bytes) -> str:
        """Register ``data`` as an in-memory file; its size counts against the budget."""
        self._made += 1
        key = f"{_MEMORY}{self._made}"
        self._memory[key] = data
        self._memory_left -= len(data)
        self._refs[key] = 1
        return key

    def copy(self, src: Readable, size: int, what: str) -> str:
        """Copy exactly ``size`` bytes of ``src``; short data is an error (``TruncatedData``)."""
        if self._in_memory(size):
            data = src.read(size) if size else b""
            while len(data) < size:  # a short read is not the end yet: only b"" is
                more = src.read(size - len(data))
                if not more:
                    raise TruncatedData(f"{what}: content ends {size - len(data)} bytes early")
                data += more
            return self._keep(data)
        fd, path = self._create()
        with os.fdopen(fd, "wb") as out:
            left = size
            while left > 0:
                chunk = src.read(min(CHUNK, left))
                if not chunk:
                    raise TruncatedData(f"{what}: content ends {left} bytes early")
                out.write(chunk)
                left -= len(chunk)
        return path

    def write(self, fill: Callable[[BinaryIO], object], size: int) -> str:
        """A new file of ``size`` bytes filled by ``fill(out)``; nothing is kept if it raises.

        ``out`` is a memory buffer or a temp file (seekable either way, for sparse content).
        """
        if self._in_memory(size):
            buf = io.BytesIO()
            fill(buf)
            return self._keep(buf.getvalue())
        fd, path = self._create()
        try:
            with os.fdopen(fd, "wb") as out:
                fill(out)
        except BaseException:
            self.release(path)
            raise
        return path

    def file(self, path: str, spooled: str, size: int, mode: int) -> SpooledFile:
        """The ``SpooledFile`` for image path ``path`` whose content is under key ``spooled``."""
        data = self._memory.get(spooled)
        opener: Callable[[], BinaryIO] = (
            functools.partial(_open_spooled, spooled)
            if data is None
            else functools.partial(io.BytesIO, data)
        )
        return SpooledFile(path=path, size=size, mode=mode, opener=opener)

    def retain(self, spooled: str) -> None:
        """One more image path shares this content (a hard link)."""
        self._refs[spooled] = self._refs.get(spooled, 0) + 1

    def release(self, spooled: str) -> None:
        """An image path no longer uses this content; drop it when nothing does."""
        count = self._refs.get(spooled, 0) - 1
        if count > 0:
            self._refs[spooled] = count
            return
        self._refs.pop(spooled, None)
        self._drop(spooled)

    def _drop(self, spooled: str) -> None:
        data = self._memory.pop(spooled, None)
        if data is not None:
            self._memory_left += len(data)
        elif not spooled.startswith(_MEMORY):
            _unlink(spooled)

    def discard_all(self) -> None:
        """Drop every file of this walk (after structural damage: nothing is kept)."""
        for key in self._refs:
            self._drop(key)
        self._refs.clear()


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class TruncatedData(Exception):
    """Internal: a stream ended before the size its header announced."""


def limit_error(what: str, value: int, limit: int, name: str) -> ImageError:
    """The ``ImageError`` for a documented limit (naming the limit so users can find it)."""
    return ImageError(
        f"{what}: {value} is over the limit of {limit} ({name})",
        hint="the image may be a decompression bomb or damaged; limits are in seawall.image.walk.WalkLimits",
    )
