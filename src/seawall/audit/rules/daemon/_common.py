"""Shared helpers of the daemon rules (CIS section 2): effective settings and engine data.

Two kinds of settings:

- flag settings (``iptables``, ``log-level``, ``no-new-privileges`` ...) are only known from
  the daemon's command line and daemon.json: ``flag_setting`` returns them, or a ``skip`` when
  neither could be read, or an ``error`` when daemon.json is unreadable and the flag is not on
  the command line (the value could be in the file we could not read);
- runtime settings come from the engine (``/info``, the bridge network): ``runtime_config``
  returns the effective configuration, or an ``error`` when the engine or ``/info`` is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from seawall.audit.model import Verdict, errored, skipped
from seawall.audit.rules._engine import engine_with
from seawall.facts import AuditFacts
from seawall.facts.daemon_config import DaemonConfig, effective_config


@dataclass(frozen=True, slots=True)
class Setting:
    """One effective setting with where it came from and any doubt about it."""

    key: str
    value: Any
    source: str
    note: str | None = None

    @property
    def evidence(self) -> tuple[str, ...]:
        """``key=value (source)`` plus the doubt note, ready for a verdict's evidence."""
        shown = f"{self.key}={show(self.value)} ({self.source})"
        return (shown, self.note) if self.note else (shown,)


def show(value: Any) -> str:
    """A setting value as a user would write it (JSON for non-strings)."""
    return value if isinstance(value, str) and value else json.dumps(value, sort_keys=True)


def config(facts: AuditFacts) -> DaemonConfig:
    """The audited daemon's effective configuration."""
    return effective_config(facts.daemon, facts.engine)


def flag_setting(facts: AuditFacts, key: str) -> Setting | Verdict:
    """A command line / daemon.json setting, or the ``skip``/``error`` verdict to return."""
    cfg = config(facts)
    if not cfg.flags_known:
        return skipped(f"daemon settings unknown ({cfg.flags_reason})")
    source = cfg.source(key)
    note = None
    if source == "default":
        if facts.daemon.config is None:
            why = facts.daemon.config_error or "daemon.json not read"
            return errored(f"{key} is not on the daemon command line and {why}")
        if facts.daemon.cmdline is None:
            note = f"not in daemon.json; command line not visible ({facts.daemon.process_error})"
    return Setting(key, cfg.get(key), source, note)


def runtime_config(facts: AuditFacts) -> DaemonConfig | Verdict:
    """The effective configuration when the engine's ``/info`` was read, else an ``error``."""
    engine = engine_with(facts, "info", "engine /info could not be read")
    return engine if isinstance(engine, Verdict) else config(facts)


def runtime_setting(facts: AuditFacts, key: str) -> Setting | Verdict:
    """A setting the engine reports at runtime (``/info``), or the ``error`` verdict."""
    cfg = runtime_config(facts)
    if isinstance(cfg, Verdict):
        return cfg
    value = cfg.get(key)
    return Setting(key, value, cfg.source(key), drift_note(facts, key, value))


def drift_note(facts: AuditFacts, key: str, running: Any) -> str | None:
    """Say so when the configured value differs from what the daemon runs with.

    daemon.json edited after the daemon started takes effect only on reload or restart;
    the running value is what counts, the note tells the user why the file disagrees.
    """
    configured = effective_config(facts.daemon, None)
    source = configured.source(key)
    if source not in ("cmdline", "daemon.json") or configured.get(key) == running:
        return None
    return (
        f"{source} sets {key}={show(configured.get(key))}: not in effect (restart or reload needed)"
    )


def reference(item: str) -> tuple[str, ...]:
    """The CIS reference tuple for a section 2 item."""
    return (f"CIS Docker Benchmark v1.6.0, {item}",)
