"""Build ``AuditFacts`` from a small JSON fixture: a partial snapshot merged onto neutral defaults.

Fixture keys (all optional):
  host, daemon, settings   partial HostFacts / DaemonFacts / AuditSettings (deep-merged)
  engine                   partial EngineFacts fields other than images/containers (info, bridge, ...)
  containers               raw ``GET /containers/{id}/json`` documents; extra keys ``_changes``,
                           ``_processes``, ``_execs`` feed the optional calls
  images                   raw ``GET /images/{id}/json`` documents; extra keys ``_history``,
                           ``_setuid_files``
  no_engine                a reason string: the engine was not reachable
  collected_at             the audit clock (default 2026-11-29T12:00:00Z)
  expect                   optional {target: outcome} assertions checked by the fixture test
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from seawall.facts import AuditFacts
from seawall.facts.container import parse_container
from seawall.facts.image import parse_image
from seawall.model.serde import from_jsonable, to_jsonable

DEFAULT_CLOCK = "2026-11-29T12:00:00Z"

BASE: dict[str, Any] = {
    "host": {"root": "/fixture-root", "live": False},
    "daemon": {
        "endpoint": "unix:///var/run/docker.sock",
        "pid": 4242,
        "cmdline": ["/usr/sbin/dockerd"],
        "discovery": "fixture",
        "config_path": "/etc/docker/daemon.json",
        "config": {},
    },
    "engine": {
        "endpoint": "unix:///var/run/docker.sock",
        "api_version": "1.41",
        "version": {"Version": "20.10.24", "ApiVersion": "1.41"},
        "info": {
            "Driver": "overlay2",
            "SecurityOptions": ["name=seccomp,profile=default"],
            "Swarm": {"LocalNodeState": "inactive"},
        },
        "bridge": {"Name": "bridge", "Options": {}},
    },
    "settings": {},
}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def facts_from_fixture(data: dict[str, Any]) -> AuditFacts:
    """Turn a fixture document into ``AuditFacts``."""
    containers = [
        parse_container(
            {k: v for k, v in c.items() if not k.startswith("_")},
            changes=c.get("_changes"),
            processes=c.get("_processes"),
            processes_error=c.get("_processes_error"),
            execs=c.get("_execs"),
        )
        for c in data.get("containers", [])
    ]
    images = [
        parse_image(
            {k: v for k, v in i.items() if not k.startswith("_")},
            history=i.get("_history"),
            setuid_files=i.get("_setuid_files"),
            setuid_reason=i.get("_setuid_reason"),
        )
        for i in data.get("images", [])
    ]
    doc: dict[str, Any] = {
        "collected_at": data.get("collected_at", DEFAULT_CLOCK),
        "settings": _merge(BASE["settings"], data.get("settings", {})),
        "host": _merge(BASE["host"], data.get("host", {})),
        "daemon": _merge(BASE["daemon"], data.get("daemon", {})),
    }
    if "no_engine" in data:
        doc["engine"] = None
        doc["engine_error"] = data["no_engine"]
    else:
        engine = _merge(BASE["engine"], data.get("engine", {}))
        engine["containers"] = [to_jsonable(c) for c in containers]
        engine["images"] = [to_jsonable(i) for i in images]
        doc["engine"] = engine
    return from_jsonable(AuditFacts, doc)


def load_fixture(path: Path) -> tuple[AuditFacts, dict[str, str]]:
    """Read a fixture file; return the facts and its ``expect`` map."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return facts_from_fixture(data), dict(data.get("expect", {}))
