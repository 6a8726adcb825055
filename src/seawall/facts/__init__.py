"""Facts: collected once, checked many times. Frozen, JSON-serialisable snapshots.

``AuditFacts`` is what every audit rule receives. It can be saved (``--save-facts``) and
replayed (``--from-facts``) so that an audit is reproducible without an engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from seawall.facts.container import ContainerFacts
from seawall.facts.daemon import DaemonFacts
from seawall.facts.engine import EngineFacts
from seawall.facts.host import FileStat, HostFacts
from seawall.facts.image import ImageFacts

#: Version of the saved facts format; a snapshot of another version is refused.
FACTS_VERSION = 1


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """Thresholds and lists the rules need (from config and flags, recorded with the facts)."""

    container_max_age_days: int = 30
    image_max_age_days: int = 90
    allowed_registries: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class AuditFacts:
    """One snapshot of a host and its engine.

    ``engine`` is ``None`` when the engine could not be reached; ``engine_error`` says why.
    ``collected_at`` is the clock every age-based rule uses (ISO 8601, UTC).
    """

    collected_at: str
    settings: AuditSettings
    host: HostFacts
    daemon: DaemonFacts
    engine: EngineFacts | None = None
    engine_error: str | None = None
    facts_version: int = FACTS_VERSION


__all__ = [
    "FACTS_VERSION",
    "AuditFacts",
    "AuditSettings",
    "ContainerFacts",
    "DaemonFacts",
    "EngineFacts",
    "FileStat",
    "HostFacts",
    "ImageFacts",
]
