"""Save and replay fact snapshots (``--save-facts`` / ``--from-facts``).

Writes are atomic (temp file in the same directory, then rename), so an interrupted save never
leaves a half-written snapshot. Reading validates the version and every field, and reports a
bad file in one line naming the file and the problem.
"""

from __future__ import annotations

import json
from pathlib import Path

from seawall.atomic import atomic_write_text
from seawall.errors import FactsError
from seawall.facts import FACTS_VERSION, AuditFacts
from seawall.model.serde import from_jsonable, to_jsonable

#: Snapshots larger than this are refused (a real host is a few MiB at most).
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024


def save_facts(facts: AuditFacts, path: str | Path) -> None:
    """Write a snapshot as JSON (sorted keys, so equal facts give equal files)."""
    try:
        atomic_write_text(path, json.dumps(to_jsonable(facts), indent=1, sort_keys=True) + "\n")
    except OSError as exc:
        raise FactsError(f"cannot write facts to {path}: {exc.strerror or exc}") from None


def load_facts(path: str | Path) -> AuditFacts:
    """Read a snapshot written by ``save_facts``; raise ``FactsError`` on any problem."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_SNAPSHOT_BYTES:
            raise FactsError(
                f"facts file {p}: {size} bytes is over the {MAX_SNAPSHOT_BYTES}-byte limit"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise FactsError(f"cannot read facts file {p}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FactsError(f"facts file {p}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise FactsError(
            f"facts file {p}: not valid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise FactsError(f"facts file {p}: expected a JSON object")
    version = data.get("facts_version")
    if version != FACTS_VERSION:
        raise FactsError(
            f"facts file {p}: facts_version {version!r} is not supported (this seawall reads {FACTS_VERSION})"
        )
    try:
        return from_jsonable(AuditFacts, data)
    except (ValueError, TypeError) as exc:
        raise FactsError(f"facts file {p}: {exc}") from None
