"""Collect everything an audit needs from the engine: one list plus one inspect per object,
and the few extra per-object calls some checks need, through a bounded thread pool.

Never one round trip per check. A failing extra call becomes an ``*_error`` on that object;
an object that disappears mid-audit (HTTP 404) is dropped and named in ``vanished``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from seawall.atomic import atomic_write_text
from seawall.docker.client import Engine, describe_error, is_not_found
from seawall.docker.image_files import setuid_files
from seawall.docker.procs import processes_in_pidns, top_commands
from seawall.facts.container import ContainerFacts, parse_container
from seawall.facts.engine import EngineFacts
from seawall.facts.image import ImageFacts, parse_image

Progress = Callable[[str, int], None]
#: Bump when the setuid scan's output could change (old cache entries then miss).
SETUID_CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """What to collect: container filters, whether to read image filesystems, and limits."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    image_files: bool = True
    max_image_bytes: int = 2 * 1024**3
    workers: int = 8
    local_proc: bool = True
    #: Where setuid/setgid results are kept per image ID (None: no cache). The engine's image
    #: ID is the digest of the image config, which names the layers' diff IDs: same ID, same
    #: filesystem, so a warm audit does not export unchanged images again.
    cache_dir: str | None = None


def container_matches(patterns: Sequence[str], name: str, labels: dict[str, str]) -> bool:
    """A name glob (``web-*``) or ``label=KEY`` / ``label=KEY=VALUE`` matches this container."""
    for p in patterns:
        if p.startswith("label="):
            key, _, value = p[len("label=") :].partition("=")
            if key in labels and (not value or labels[key] == value):
                return True
        elif fnmatch.fnmatchcase(name, p):
            return True
    return False


def _selected(summary: dict[str, Any], opts: EngineOptions) -> bool:
    names = [str(n).lstrip("/") for n in summary.get("Names") or []]
    name = names[0] if names else str(summary.get("Id", ""))[:12]
    labels = {str(k): str(v) for k, v in (summary.get("Labels") or {}).items()}
    if opts.include and not container_matches(opts.include, name, labels):
        return False
    return not (opts.exclude and container_matches(opts.exclude, name, labels))


class _Collector:
    def __init__(self, engine: Engine, opts: EngineOptions) -> None:
        self.engine = engine
        self.opts = opts

    def _try(self, path: str, **params: Any) -> tuple[Any, str | None]:
        try:
            return self.engine.get(path, **params), None
        except Exception as exc:
            return None, describe_error(self.engine.endpoint, exc)

    def processes(self, cid: str, pid: int) -> tuple[list[str] | None, str | None]:
        doc, err = self._try(f"/containers/{cid}/top")
        if err is None:
            try:
                return top_commands(doc), None
            except ValueError as exc:
                err = str(exc)
        # The host's view by PID namespace, when the engine is on this host.
        if self.opts.local_proc and pid > 0:
            try:
                return processes_in_pidns(pid), None
            except OSError as exc:
                return None, f"top endpoint failed ({err}); /proc/{pid}: {exc.strerror}"
        return None, f"top endpoint failed: {err}"

    def container(self, cid: str) -> ContainerFacts | None:
        try:
            inspect = self.engine.get(f"/containers/{cid}/json")
        except Exception as exc:
            if is_not_found(exc):
                return None
            raise
        running = bool((inspect.get("State") or {}).get("Running"))
        changes, changes_err = self._try(f"/containers/{cid}/changes")
        procs: list[str] | None = None
        procs_err: str | None = "container is not running"
        execs: list[dict[str, Any]] | None = None
        execs_err: str | None = "container is not running"
        if running:
            procs, procs_err = self.processes(
                cid, int((inspect.get("State") or {}).get("Pid") or 0)
            )
            execs, execs_err = [], None
            for eid in inspect.get("ExecIDs") or []:
                doc, err = self._try(f"/exec/{eid}/json")
                if doc is not None:
                    execs.append(doc)
                elif err and "404" not in err:
                    execs, execs_err = None, f"exec {eid}: {err}"
                    break
        return parse_container(
            inspect,
            # The engine answers JSON null for "no changes".
            changes=(changes or []) if changes_err is None else None,
            changes_error=changes_err,
            processes=procs,
            processes_error=None if procs is not None else procs_err,
            execs=execs,
            execs_error=None if execs is not None else execs_err,
        )

    def _setuid_path(self, image_id: str) -> str | None:
        hexpart = image_id.split(":", 1)[-1]
        if (
            not self.opts.cache_dir
            or len(hexpart) != 64
            or not all(c in "0123456789abcdef" for c in hexpart)
        ):
            return None
        return os.path.join(self.opts.cache_dir, "setuid", f"{SETUID_CACHE_VERSION}-{hexpart}.json")

    def _cached_setuid(self, image_id: str) -> list[str] | None:
        path = self._setuid_path(image_id)
        try:
            if path is None or os.path.getsize(path) > 16 * 1024 * 1024:
                return None
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError):
            return None  # a missing or damaged entry is a miss, never trusted
        if isinstance(doc, list) and all(isinstance(x, str) for x in doc):
            return doc
        return None

    def _store_setuid(self, image_id: str, files: list[str]) -> None:
        path = self._setuid_path(image_id)
        if path is None:
            return
        with contextlib.suppress(OSError):  # a read-only cache never fails an audit
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            atomic_write_text(path, json.dumps(files))

    def image(self, iid: str) -> ImageFacts | None:
        try:
            inspect = self.engine.get(f"/images/{iid}/json")
        except Exception as exc:
            if is_not_found(exc):
                return None
            raise
        history, history_err = self._try(f"/images/{iid}/history")
        files: list[str] | None = None
        reason: str | None = None
        size = inspect.get("Size") if isinstance(inspect.get("Size"), int) else 0
        if not self.opts.image_files:
            reason = "image filesystems not examined (--no-image-files)"
        elif size > self.opts.max_image_bytes:
            reason = f"image is {size} bytes, over the {self.opts.max_image_bytes}-byte limit for filesystem checks"
        else:
            files = self._cached_setuid(str(inspect.get("Id", iid)))
            if files is None:
                try:
                    resp = self.engine.stream(f"/images/{iid}/get")
                    try:
                        files = setuid_files(resp.raw)
                    finally:
                        resp.close()
                    self._store_setuid(str(inspect.get("Id", iid)), files)
                except Exception as exc:
                    reason = f"error: cannot read the image export: {describe_error(self.engine.endpoint, exc)}"
        return parse_image(
            inspect,
            history=history if history_err is None else None,
            history_error=history_err,
            setuid_files=files,
            setuid_reason=reason,
        )


T = TypeVar("T")


def _harvest(
    jobs: list[tuple[str, Future[T | None]]],
    endpoint: str,
    errors: dict[str, str],
    vanished: list[str],
    tick: Callable[[str], None],
) -> list[T]:
    """Collect finished jobs: a value, an error for that object, or a note that it vanished."""
    out: list[T] = []
    for label, fut in jobs:
        try:
            value = fut.result()
        except Exception as exc:  # one object's failure is that object's error, never the run's
            errors[label] = describe_error(endpoint, exc)
            continue
        finally:
            tick(label.split("/", 1)[0])
        if value is None:
            vanished.append(label)
        else:
            out.append(value)
    return out


def _engine_docs(col: _Collector, errors: dict[str, str]) -> dict[str, Any]:
    """The engine-wide documents: version, info, networks, swarm and the object lists."""
    docs: dict[str, Any] = {}
    for key, path, params in (
        ("version", "/version", {}),
        ("info", "/info", {}),
        ("bridge", "/networks/bridge", {}),
        ("networks", "/networks", {}),
        ("containers", "/containers/json", {"all": 1}),
        ("images", "/images/json", {"all": 0}),
    ):
        docs[key], err = col._try(path, **params)
        # A missing default bridge is a fact (e.g. --bridge=none), not an error.
        if err and not (key == "bridge" and "404" in err):
            errors[key] = err
    swarm_state = (
        ((docs["info"] or {}).get("Swarm") or {}) if isinstance(docs["info"], dict) else {}
    )
    docs["swarm"] = docs["services"] = None
    if swarm_state.get("LocalNodeState") == "active" and swarm_state.get("ControlAvailable"):
        for key, path in (("swarm", "/swarm"), ("services", "/services")):
            docs[key], err = col._try(path)
            if err:
                errors[key] = err
    return docs


def collect_engine(
    engine: Engine, opts: EngineOptions, progress: Progress | None = None
) -> EngineFacts:
    """Read version, info, networks, swarm, every selected container and every image."""
    col = _Collector(engine, opts)
    errors: dict[str, str] = {}
    docs = _engine_docs(col, errors)
    wanted = [s for s in docs["containers"] or [] if _selected(s, opts)]
    vanished: list[str] = []
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(label, done)

    with ThreadPoolExecutor(max_workers=max(1, opts.workers)) as pool:
        cjobs = [
            (
                f"container/{(s.get('Names') or [str(s['Id'])[:12]])[0].lstrip('/')}",
                pool.submit(col.container, str(s["Id"])),
            )
            for s in wanted
        ]
        ijobs = [
            (f"image/{str(i['Id'])[7:19]}", pool.submit(col.image, str(i["Id"])))
            for i in docs["images"] or []
        ]
        containers = _harvest(cjobs, engine.endpoint, errors, vanished, tick)
        images = _harvest(ijobs, engine.endpoint, errors, vanished, tick)
    services = docs["services"]
    return EngineFacts(
        endpoint=engine.endpoint,
        api_version=engine.api,
        version=docs["version"] or {},
        info=docs["info"] or {},
        bridge=docs["bridge"],
        networks=tuple(docs["networks"] or ()),
        swarm=docs["swarm"],
        services=tuple(services) if services is not None else None,
        images=tuple(sorted(images, key=lambda x: x.name)),
        containers=tuple(sorted(containers, key=lambda x: x.name)),
        errors=errors,
        vanished=tuple(sorted(vanished)),
    )


def is_local_engine(endpoint: str) -> bool:
    """True when the engine runs on this host (unix socket, or TCP on loopback)."""
    if endpoint.startswith("unix://"):
        return True
    host = endpoint.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "::1") or host.startswith("127.")


__all__ = ["EngineOptions", "collect_engine", "container_matches", "is_local_engine"]
