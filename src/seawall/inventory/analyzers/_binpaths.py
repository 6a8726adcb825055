"""Which image paths may hold a compiled executable worth opening (Go and Rust binaries).

``required(path)`` sees only the path (it runs on every tar entry, before the mode is known),
so the choice is a location heuristic, traded off as follows:

- every file directly in a ``bin`` or ``sbin`` directory (``/usr/bin``, ``/usr/local/bin``,
  ``/bin``, ``/go/bin``, ``/root/go/bin``, ``/opt/x/bin`` ...): that is where packaged and
  ``go install``-ed programs live; a Debian base image has a few hundred such files;
- dot-less files at the image root (``/traefik``, ``/coredns``: scratch and distroless images
  put their single binary there) and dot-less files under application roots (``/app``,
  ``/opt``, ``/srv``, ``/ko-app``, ``/usr/libexec``, ``/usr/local/libexec``, Docker CLI plugin
  directories, Go's ``pkg/tool``), minus well-known text files (``LICENSE``, ``README`` ...)
  and trees that hold no binaries (``node_modules``, ``site-packages``, ``.git`` ...).

What is missed: a binary with a dot in its name outside a ``bin`` directory, or one in an
unusual place (``/usr/lib/foo/helper``). What it costs: the walker spools the selected files;
``analyze`` then rejects non-executable modes without opening and non-ELF files after reading
four bytes, so a wrong guess costs one small read (``read_executable``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, TypeVar

from seawall.inventory.analyzer import AnalyzerError, FileInput
from seawall.inventory.analyzers._elf import ElfError, ElfImage, is_elf, parse_elf

_T = TypeVar("_T")

_APP_ROOTS = ("/app/", "/opt/", "/srv/", "/ko-app/", "/usr/libexec/", "/usr/local/libexec/")
_PLUGIN_DIRS = ("/cli-plugins/", "/pkg/tool/")
_SKIP_TREES = (
    "/node_modules/",
    "/site-packages/",
    "/dist-packages/",
    "/.git/",
    "/include/",
    "/share/",
    "/man/",
    "/locale/",
    "/doc/",
    "/docs/",
    "/__pycache__/",
    "/vendor/",
    "/src/",
)
_TEXT_NAMES = frozenset(
    {
        "LICENSE",
        "LICENCE",
        "COPYING",
        "COPYRIGHT",
        "NOTICE",
        "README",
        "AUTHORS",
        "CONTRIBUTORS",
        "MAINTAINERS",
        "OWNERS",
        "CHANGELOG",
        "CHANGES",
        "HISTORY",
        "NEWS",
        "PATENTS",
        "VERSION",
        "MAKEFILE",
        "DOCKERFILE",
        "PROCFILE",
        "GEMFILE",
        "RAKEFILE",
        "PIPFILE",
        "TODO",
        "INSTALL",
    }
)


def executable_candidate(path: str) -> bool:
    """Whether ``path`` (absolute, inside the image) may be a compiled program (cheap, pure)."""
    slash = path.rfind("/")
    name = path[slash + 1 :]
    if not name:
        return False
    parent = path[:slash]
    if parent.endswith(("/bin", "/sbin")):
        return True
    if "." in name or name.upper() in _TEXT_NAMES:
        return False
    if slash == 0:
        return True  # a dot-less file at the image root
    if path.startswith(_APP_ROOTS) or any(d in path for d in _PLUGIN_DIRS):
        return not any(t in path for t in _SKIP_TREES)
    return False


def has_exec_bit(mode: int) -> bool:
    """Whether a file mode allows execution by anyone (0 means unknown: treat as executable)."""
    return mode == 0 or bool(mode & 0o111)


def read_executable(file: FileInput, read: Callable[[BinaryIO, ElfImage], _T]) -> _T | None:
    """``read(stream, headers)`` on an executable ELF file; None for other files.

    Files without an execute bit are skipped before opening, non-ELF files after four bytes.
    ``ElfError`` (from parsing or from ``read``) becomes an ``AnalyzerError`` naming the file.
    """
    if not has_exec_bit(file.mode):
        return None
    with file.open() as fh:
        if not is_elf(fh.read(4)):
            return None
        try:
            return read(fh, parse_elf(fh))
        except ElfError as exc:
            raise AnalyzerError(f"{file.path}: {exc}") from None
