"""The host's view of a container's processes, from /proc by PID namespace.

Used when the engine's top endpoint fails. Never runs anything inside the container.
"""

from __future__ import annotations

import os


def processes_in_pidns(pid: int, proc_root: str = "/proc") -> list[str]:
    """Command lines of every host process in the same PID namespace as ``pid``.

    Raises ``OSError`` when ``pid``'s namespace cannot be read (process gone, no permission).
    """
    target = os.readlink(os.path.join(proc_root, str(pid), "ns", "pid"))
    out = []
    for entry in os.listdir(proc_root):
        if not entry.isdigit():
            continue
        try:
            if os.readlink(os.path.join(proc_root, entry, "ns", "pid")) != target:
                continue
            with open(os.path.join(proc_root, entry, "cmdline"), "rb") as fh:
                raw = fh.read(65536)
        except OSError:
            continue  # the process exited while we looked: not an error
        args = [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
        if args:
            out.append(" ".join(args))
    return out


def top_commands(doc: dict[str, object]) -> list[str]:
    """The command column of a ``GET /containers/{id}/top`` answer."""
    titles = doc.get("Titles")
    procs = doc.get("Processes")
    if not isinstance(titles, list) or not isinstance(procs, list):
        raise ValueError("top answer has no Titles/Processes")
    col = next(
        (i for i, t in enumerate(titles) if t in ("CMD", "COMMAND", "ARGS")), len(titles) - 1
    )
    return [str(p[col]) for p in procs if isinstance(p, list) and len(p) > col]
