"""Host paths a container may see: binds, bind mounts, bind-type volume ``device`` options.

A host path is allowed only when every one of these holds, in this order:

1. it is absolute and already normal: no ``.`` or ``..`` component, no ``//``, no NUL (the
   engine cleans paths; a filter that does not would judge a different path);
2. it is not the engine's socket nor a directory above it (``/``, ``/run``, ``/var/run``...),
   whatever the rule says: that socket is root on the host;
3. it lies, component-wise, under one of the rule's ``host_paths`` (``/srv/data`` allows
   ``/srv/data/x``, not ``/srv/database``);
4. the edge resolved it (``Context.paths``), it exists (the engine would create a missing bind
   source as root, following any symlink above it) and it resolves to itself: no component is
   a symlink;
5. the caller cannot write to it or a directory above it, unless the rule allows
   ``writable_host_paths`` (such a caller could swap it for a symlink after this check).
"""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints


def normal(path: str) -> str | None:
    """``path`` without a trailing ``/`` when it is absolute and normal; ``None`` otherwise."""
    if not path.startswith("/") or "\x00" in path or "//" in path:
        return None
    trimmed = path.rstrip("/") or "/"
    if any(part in (".", "..") for part in trimmed.split("/")):
        return None
    return trimmed


def under(path: str, prefix: str) -> bool:
    """True when normal ``path`` is ``prefix`` or inside it, compared component-wise."""
    base = prefix.rstrip("/")
    return not base or path == base or path.startswith(base + "/")


def exposes_socket(path: str, sockets: tuple[str, ...]) -> str | None:
    """The engine socket ``path`` is, or lies under; ``None`` when it reaches none."""
    for socket in sockets:
        if under(socket, path):
            return socket
    return None


def check_host_path(
    path: str, where: str, constraints: Constraints, context: Context
) -> Violation | None:
    """Judge one host path named at ``where`` (see the module docstring for the order)."""
    norm = normal(path)
    if norm is None:
        return Violation(
            "host_paths",
            f"{where}: host path {path[:120]!r} is not absolute and normalised "
            "(no '.', '..' or '//')",
        )
    socket = exposes_socket(norm, context.engine_sockets)
    if socket is not None:
        return Violation(
            "host_paths", f"{where}: host path {norm!r} exposes the engine socket {socket}"
        )
    if not any(under(norm, prefix) for prefix in constraints.host_paths):
        allowed = ", ".join(constraints.host_paths) or "none"
        return Violation(
            "host_paths", f"{where}: host path {norm!r} is not under an allowed path ({allowed})"
        )
    return _facts_problem(path, norm, where, constraints, context)


def _facts_problem(
    path: str, norm: str, where: str, constraints: Constraints, context: Context
) -> Violation | None:
    facts = context.paths.get(path) or context.paths.get(norm)
    if facts is None:
        return Violation("host_paths", f"{where}: host path {norm!r} was not resolved")
    if facts.realpath is None:
        return Violation(
            "host_paths",
            f"{where}: host path {norm!r} does not exist (the engine would create it as root)",
        )
    if facts.symlinked or facts.realpath != norm:
        return Violation(
            "host_paths",
            f"{where}: host path {norm!r} goes through a symlink (it is {facts.realpath!r})",
        )
    if facts.writable_by_subject and not constraints.writable_host_paths:
        return Violation(
            "writable_host_paths",
            f"{where}: host path {norm!r} is writable by the caller, who could swap it "
            "for a symlink after this check",
        )
    return None
