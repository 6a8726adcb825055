"""EngineFacts: everything read from the Docker Engine API in one audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seawall.facts.container import ContainerFacts
from seawall.facts.image import ImageFacts


@dataclass(frozen=True, slots=True)
class EngineFacts:
    """Raw engine documents that are not worth a typed view, plus typed images and containers.

    ``info`` is ``GET /info``, ``version`` is ``GET /version``, ``bridge`` is
    ``GET /networks/bridge`` (``None`` when absent), ``networks`` is ``GET /networks``,
    ``swarm`` is ``GET /swarm`` and ``services`` is ``GET /services`` (only on a swarm manager).
    ``errors`` maps a part that could not be read to the reason (the run is then incomplete).
    """

    endpoint: str
    api_version: str
    version: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    bridge: dict[str, Any] | None = None
    networks: tuple[dict[str, Any], ...] = ()
    swarm: dict[str, Any] | None = None
    services: tuple[dict[str, Any], ...] | None = None
    images: tuple[ImageFacts, ...] = ()
    containers: tuple[ContainerFacts, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)
    #: Objects listed at the start of the audit that were gone before they could be inspected.
    vanished: tuple[str, ...] = ()
