"""Linux audit rules: parse rule lines and decide whether a path is watched (CIS 1.1.3-1.1.18).

Not a rule module. Understands the two ways a rule watches a path (auditctl(8)):

- ``-w PATH [-p PERMS] [-k KEY]``: a watch; on a directory it covers the whole subtree.
- ``-a always,exit ... -F path=PATH`` (that path only) or ``-F dir=PATH`` (the subtree).

A file's other names count too: its symlink-resolved path (``/usr/bin/runc`` ->
``/usr/sbin/runc``) and merged-/usr aliases (``/lib/systemd/...`` is ``/usr/lib/systemd/...``).
``never`` actions and lists other than ``exit`` watch nothing. Any permission filter counts:
CIS asks that a rule exists, and the evidence shows the rule so a reader sees its ``-p``.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seawall.audit.model import Verdict, errored, failed, passed, skipped
from seawall.audit.rules.host._common import data_root, existing, loc, real_path
from seawall.facts import AuditFacts
from seawall.facts.host_paths import audited_paths, key


@dataclass(frozen=True, slots=True)
class AuditWatch:
    """One path an audit rule watches; ``subtree`` when everything below it is covered too."""

    path: str
    subtree: bool
    line: str

    def covers(self, path: str) -> bool:
        """True when an access to host path ``path`` is recorded by this rule."""
        path = key(path)
        if path == self.path:
            return True
        return self.subtree and path.startswith(self.path.rstrip("/") + "/")


def _tokens(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=True)
    except ValueError:  # unbalanced quotes: fall back to plain words
        return line.split("#", 1)[0].split()


def _syscall_watches(tokens: Sequence[str], line: str) -> list[AuditWatch]:
    out: list[AuditWatch] = []
    action_list = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("-a", "-A") and i + 1 < len(tokens):
            action_list = tokens[i + 1]
            i += 2
            continue
        if tok == "-F" and i + 1 < len(tokens):
            field, op, value = tokens[i + 1].partition("=")
            # "path!=/x" partitions into ("path!", "=", "/x"): negations never match.
            if op and field in ("path", "dir") and value.startswith("/"):
                out.append(AuditWatch(key(value), field == "dir", line))
            i += 2
            continue
        i += 1
    # The list and action may come in either order ("always,exit" or "exit,always").
    words = set(action_list.split(","))
    if not ({"always", "exit"} <= words):
        return []
    return out


def parse_audit_rules(lines: Iterable[str]) -> tuple[AuditWatch, ...]:
    """Every path watched by the given ``auditctl`` rule lines (comments and controls ignored)."""
    watches: list[AuditWatch] = []
    for raw in lines:
        line = raw.strip()
        tokens = _tokens(line)
        if not tokens:
            continue
        if "-w" in tokens:
            i = tokens.index("-w")
            if i + 1 < len(tokens) and tokens[i + 1].startswith("/"):
                watches.append(AuditWatch(key(tokens[i + 1]), True, line))
            continue
        if tokens[0] in ("-a", "-A"):
            watches.extend(_syscall_watches(tokens, line))
    return tuple(watches)


def find_watch(watches: Sequence[AuditWatch], paths: Iterable[str]) -> AuditWatch | None:
    """The first watch covering any of ``paths`` (a path and its symlink-resolved form)."""
    wanted = [key(p) for p in paths]
    return next((w for w in watches for p in wanted if w.covers(p)), None)


def watch_verdicts(facts: AuditFacts, item: str) -> list[Verdict]:
    """One verdict per existing path of CIS item ``item``: is an audit rule watching it?"""
    candidates = audited_paths(item, data_root=data_root(facts))
    found = existing(facts, candidates)
    if isinstance(found, Verdict):
        return [found]
    if not found:
        listed = " or ".join(candidates)
        where = candidates[0] if len(candidates) == 1 else None
        return [
            skipped(
                f"{listed} does not exist on this host",
                target=where,
                location=loc(where) if where else None,
            )
        ]
    host = facts.host
    if host.audit_rules is None:
        why = host.errors.get("audit_rules", "no reason recorded")
        return [errored(f"audit rules could not be read: {why}")]
    watches = parse_audit_rules(host.audit_rules)
    source = host.audit_source or "unknown source"
    out = []
    for st in found:
        real = real_path(st)
        # Every name of the same file counts (merged /usr: /lib/... is /usr/lib/...).
        names = [
            p
            for p in candidates
            if (o := host.files.get(key(p))) and o.exists and real_path(o) == real
        ]
        w = find_watch(watches, dict.fromkeys([st.path, *names, real]))
        shown = " -> ".join(dict.fromkeys([st.path, real]))
        if w is None:
            evidence = f"audit rules ({source}) watch {len(watches)} path(s), none covering it"
            out.append(
                failed(
                    f"no audit rule watches {shown}",
                    evidence,
                    target=st.path,
                    location=loc(st.path),
                )
            )
        else:
            out.append(
                passed(f"audit rule watches {shown}", w.line, target=st.path, location=loc(st.path))
            )
    return out
