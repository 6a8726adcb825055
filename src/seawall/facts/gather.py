"""Gather ``AuditFacts`` from a live host: engine, daemon process and config, host files.

The order matters: the daemon's effective configuration names the TLS files and data root
whose ownership and mode the host collector must read. An engine that cannot be reached is
recorded (``engine_error``) and the host and file facts are still collected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from seawall.docker.client import Engine, socket_path
from seawall.docker.collect import EngineOptions, collect_engine, is_local_engine
from seawall.errors import EngineError
from seawall.facts import AuditFacts, AuditSettings
from seawall.facts.collect_daemon import collect_daemon
from seawall.facts.collect_host import collect_host
from seawall.facts.daemon_config import effective_config

Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class GatherOptions:
    """Where to look and what to collect."""

    endpoint: str
    host_root: str = "/"
    daemon_config: str | None = None
    timeout: float = 30.0
    engine: EngineOptions = field(default_factory=EngineOptions)


def gather(
    opts: GatherOptions, settings: AuditSettings, now: datetime, progress: Progress | None = None
) -> AuditFacts:
    """Collect one snapshot. Never raises for an unreachable engine: it is recorded instead."""
    engine_facts = None
    engine_error = None
    try:
        engine = Engine(opts.endpoint, timeout=opts.timeout, pool_size=opts.engine.workers)
    except EngineError as exc:
        # The report names the endpoint as the error's source; keep the reason and the hint.
        engine_error = exc.message.removeprefix(f"engine {opts.endpoint}: ")
        if exc.hint:
            engine_error += f" — {exc.hint}"
        engine = None
    daemon = collect_daemon(opts.endpoint, host_root=opts.host_root, config_path=opts.daemon_config)
    if engine is not None:
        try:
            local = is_local_engine(opts.endpoint) and opts.host_root == "/"
            eopts = replace(opts.engine, local_proc=local)
            engine_facts = collect_engine(engine, eopts, progress)
        finally:
            engine.close()
    cfg = effective_config(daemon, engine_facts)
    extra = [str(cfg.get(k)) for k in ("tlscacert", "tlscert", "tlskey") if cfg.get(k)]
    if daemon.config_path:
        extra.append(daemon.config_path)
    data_root = "/var/lib/docker"
    if engine_facts is not None and engine_facts.info.get("DockerRootDir"):
        data_root = str(engine_facts.info["DockerRootDir"])
    elif cfg.get("data-root"):
        data_root = str(cfg.get("data-root"))
    host = collect_host(
        opts.host_root,
        extra_paths=extra,
        data_root=data_root,
        socket_path=socket_path(opts.endpoint),
    )
    return AuditFacts(
        collected_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        settings=settings,
        host=host,
        daemon=daemon,
        engine=engine_facts,
        engine_error=engine_error,
    )
