"""Helpers shared by the host (HO) and file (FP) rules: data root, file lookup, verdict targets.

Not a rule module (no ``check``); it is not listed in ``RULES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from seawall.audit.model import Verdict, errored
from seawall.facts import AuditFacts, FileStat
from seawall.facts.host_paths import key
from seawall.model import Location


def data_root(facts: AuditFacts) -> str:
    """The daemon's data root: ``DockerRootDir`` when the engine answered, else what was collected."""
    if facts.engine is not None:
        reported = facts.engine.info.get("DockerRootDir")
        if isinstance(reported, str) and reported.startswith("/"):
            return key(reported)
    return facts.host.data_root


def loc(path: str) -> Location:
    """The location of a host path in reports."""
    return Location(uri=path)


def lookup(facts: AuditFacts, path: str) -> FileStat | Verdict:
    """The collected stat of ``path``, or an ``error`` verdict when it was not or could not be read."""
    st = facts.host.files.get(key(path))
    if st is None:
        return errored(
            f"{path} was not examined by the host collector", target=path, location=loc(path)
        )
    if st.error:
        return errored(f"cannot examine {path}: {st.error}", target=path, location=loc(path))
    return st


def real_path(st: FileStat) -> str:
    """The host path a stat describes after symlinks (``resolved`` when set)."""
    return st.resolved or st.path


def distinct(stats: Iterable[FileStat]) -> list[FileStat]:
    """Existing stats with one entry per real file, preferring the entry named by its real path.

    Merged-/usr systems list ``/lib/systemd/system/docker.service`` and
    ``/usr/lib/systemd/system/docker.service`` for one file; report it once.
    """
    chosen: dict[str, FileStat] = {}
    for st in stats:
        if not st.exists:
            continue
        real = real_path(st)
        if real not in chosen or (chosen[real].resolved and not st.resolved):
            chosen[real] = st
    return list(chosen.values())


def existing(facts: AuditFacts, paths: Sequence[str]) -> list[FileStat] | Verdict:
    """Distinct existing stats among ``paths``; the first lookup error as a verdict instead."""
    stats = []
    for p in paths:
        found = lookup(facts, p)
        if isinstance(found, Verdict):
            return found
        stats.append(found)
    return distinct(stats)
