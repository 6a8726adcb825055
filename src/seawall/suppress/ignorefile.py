"""``.seawallignore``: one suppression per line, in the shape users know from ``.trivyignore``.

    # comment
    RT005                                  # suppress everywhere (the rest after '#' is the reason)
    5.25 target=container/legacy-*         # a CIS item number, only for matching targets
    DM012 exp:2027-01-31 # authz plugin rollout scheduled

A line names a rule ID, a glob over IDs, or a benchmark item number; ``target=GLOB`` limits it
to targets; ``exp:YYYY-MM-DD`` makes it stop applying after that day (an expired entry is
reported as a warning, so it does not rot silently).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from seawall.errors import ConfigError
from seawall.model import Result, Suppression

_ID = re.compile(r"^([A-Za-z]{2}[0-9*?]{1,3}|[A-Za-z*?]+|\d+(\.\d+)*)$")
MAX_IGNORE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One line of an ignore file."""

    pattern: str
    target: str | None
    expires: date | None
    reason: str
    line: int


def parse_ignore(text: str, source: str) -> tuple[IgnoreEntry, ...]:
    """Parse ignore-file text; raise ``ConfigError`` naming the file and line on bad input."""
    entries = []
    for n, raw in enumerate(text.splitlines(), start=1):
        body, _, comment = raw.partition("#")
        words = body.split()
        if not words:
            continue
        pattern, target, expires = words[0], None, None
        if not _ID.match(pattern):
            raise ConfigError(f"{source}:{n}: {pattern!r} is not a rule ID, ID glob or item number")
        for w in words[1:]:
            if w.startswith("target="):
                target = w[len("target=") :]
            elif w.startswith("exp:"):
                try:
                    expires = date.fromisoformat(w[4:])
                except ValueError:
                    raise ConfigError(
                        f"{source}:{n}: bad expiry {w!r} (use exp:YYYY-MM-DD)"
                    ) from None
            else:
                raise ConfigError(
                    f"{source}:{n}: unexpected {w!r} (use target=GLOB or exp:YYYY-MM-DD)"
                )
        entries.append(IgnoreEntry(pattern, target, expires, comment.strip(), n))
    return tuple(entries)


def load_ignore(path: str | Path) -> tuple[IgnoreEntry, ...]:
    """Read and parse an ignore file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_IGNORE_BYTES:
            raise ConfigError(f"ignore file {p}: larger than {MAX_IGNORE_BYTES} bytes")
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"ignore file {p}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read ignore file {p}: {exc.strerror or exc}") from None
    return parse_ignore(text, str(p))


def _matches(entry: IgnoreEntry, result: Result) -> bool:
    pat = entry.pattern.upper()
    hit = fnmatch.fnmatchcase(result.rule_id, pat) or any(
        c == entry.pattern or c.startswith(entry.pattern + ".") for c in result.controls
    )
    if not hit:
        return False
    return entry.target is None or fnmatch.fnmatchcase(result.target, entry.target)


def apply_ignores(
    results: tuple[Result, ...], entries: tuple[IgnoreEntry, ...], today: date, source: str
) -> tuple[tuple[Result, ...], tuple[str, ...]]:
    """Mark matching results as suppressed; return them and warnings about expired entries."""
    live = [e for e in entries if e.expires is None or e.expires >= today]
    warnings = tuple(
        f"{source}:{e.line}: entry {e.pattern} expired on {e.expires.isoformat()} and no longer applies"
        for e in entries
        if e.expires is not None and e.expires < today
    )
    out = []
    for r in results:
        entry = next((e for e in live if _matches(e, r)), None)
        if entry is not None and r.outcome.value not in ("error",):
            r = replace(
                r,
                suppression=Suppression(
                    source=f"{source}:{entry.line}",
                    justification=entry.reason or "no reason given",
                    expires=entry.expires.isoformat() if entry.expires else None,
                ),
            )
        out.append(r)
    return tuple(out), warnings
