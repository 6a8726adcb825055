"""Layer chains of the local engine's images: the candidates for "which base image is this?"."""

from __future__ import annotations

from seawall.docker.client import Engine
from seawall.errors import EngineError


def local_layer_chains(
    endpoint: str, *, timeout: float = 10.0, limit: int = 2000
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(name, diff_ids)`` of every tagged local image; empty when no engine answers.

    Best effort by design: base-image detection is an enrichment, never a reason to fail.
    """
    try:
        engine = Engine(endpoint, timeout=timeout)
    except EngineError:
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    try:
        for summary in (engine.get("/images/json") or [])[:limit]:
            tags = [t for t in summary.get("RepoTags") or [] if t != "<none>:<none>"]
            if not tags:
                continue
            doc = engine.get(f"/images/{summary['Id']}/json")
            layers = tuple(str(x) for x in (doc.get("RootFS") or {}).get("Layers") or [])
            if layers:
                out.append((tags[0], layers))
    except Exception:  # enrichment only: a failing engine leaves the base unknown
        return tuple(out)
    finally:
        engine.close()
    return tuple(out)
