"""The audited daemon's effective configuration: command line + daemon.json + /info + bridge.

Pure. ``effective_config`` merges what the process was started with (flags win, as dockerd
refuses a setting given both ways), daemon.json, and what the engine reports at runtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seawall.facts.daemon import DaemonFacts
from seawall.facts.engine import EngineFacts


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    """Effective settings keyed by daemon.json names (``icc``, ``log-level``, ``tlscacert`` ...).

    ``sources[key]`` says where a value came from: ``cmdline``, ``daemon.json``, ``info``,
    ``bridge`` or ``default``. ``flags_known`` is false when neither the command line nor
    daemon.json could be read; ``flags_reason`` then says why (flag-only checks ``skip``).
    """

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    flags_known: bool = True
    flags_reason: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """The effective value of a setting, or ``default`` when unset."""
        return self.values.get(key, default)


def effective_config(daemon: DaemonFacts, engine: EngineFacts | None) -> DaemonConfig:
    """Merge command line, daemon.json, ``/info`` and the bridge network into one view."""
    raise NotImplementedError  # implemented with section 2
