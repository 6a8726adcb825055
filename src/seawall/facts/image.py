"""ImageFacts: one local image as the checks see it, parsed purely from engine responses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: ``setuid_reason`` starting with this prefix means the filesystem could not be read (the
#: check is ``error``); any other reason means it was deliberately not examined (``skip``).
SETUID_ERROR_PREFIX = "error:"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One ``GET /images/{id}/history`` row: the instruction that made a layer."""

    created_by: str
    created: int = 0
    empty_layer: bool = False
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """A local image with its config, history and (when examined) setuid/setgid files.

    ``history`` is ``None`` when it could not be read (``history_error`` says why);
    ``setuid_files`` is ``None`` when the filesystem was not examined; ``setuid_reason`` then
    says why, starting with ``SETUID_ERROR_PREFIX`` (``"error:"``) when reading it failed.
    """

    id: str
    tags: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()
    created: str = ""
    user: str = ""
    healthcheck: tuple[str, ...] | None = None
    env: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    exposed_ports: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    size: int = 0
    layers: tuple[str, ...] = ()
    history: tuple[HistoryEntry, ...] | None = None
    history_error: str | None = None
    setuid_files: tuple[str, ...] | None = None
    setuid_reason: str | None = None

    @property
    def name(self) -> str:
        """First tag, else the short ID: what users recognise."""
        if self.tags:
            return self.tags[0]
        short = self.id.split(":", 1)[-1][:12]
        return short

    @property
    def ref(self) -> str:
        """Stable target name used in reports (``image/REF``)."""
        return f"image/{self.name}"

    @property
    def uri(self) -> str:
        """A location URI a viewer can show."""
        return f"docker://image/{self.name}"

    @property
    def dangling(self) -> bool:
        """An image with no tag (``<none>:<none>``)."""
        return not [t for t in self.tags if t != "<none>:<none>"]


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if v is not None)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_image(
    inspect: Mapping[str, Any],
    *,
    history: Sequence[Mapping[str, Any]] | None = None,
    history_error: str | None = None,
    setuid_files: Sequence[str] | None = None,
    setuid_reason: str | None = None,
) -> ImageFacts:
    """Build ``ImageFacts`` from ``GET /images/{id}/json`` and optional history/filesystem data."""
    cfg = _dict(inspect.get("Config"))
    hc = _dict(cfg.get("Healthcheck"))
    hist = None
    if history is not None:
        hist = tuple(
            HistoryEntry(
                created_by=str(h.get("CreatedBy") or ""),
                created=_int(h.get("Created")),
                empty_layer=not h.get("Size"),
                comment=str(h.get("Comment") or ""),
            )
            for h in history
        )
    tags = tuple(t for t in _strs(inspect.get("RepoTags")) if t != "<none>:<none>")
    return ImageFacts(
        id=str(inspect.get("Id", "")),
        tags=tags,
        digests=_strs(inspect.get("RepoDigests")),
        created=str(inspect.get("Created") or ""),
        user=str(cfg.get("User") or ""),
        healthcheck=_strs(hc.get("Test")) if hc else None,
        env=_strs(cfg.get("Env")),
        labels={str(k): str(v) for k, v in _dict(cfg.get("Labels")).items()},
        exposed_ports=tuple(sorted(_dict(cfg.get("ExposedPorts")))),
        entrypoint=_strs(cfg.get("Entrypoint")),
        cmd=_strs(cfg.get("Cmd")),
        size=_int(inspect.get("Size")),
        layers=_strs(_dict(inspect.get("RootFS")).get("Layers")),
        history=hist,
        history_error=history_error,
        setuid_files=tuple(setuid_files) if setuid_files is not None else None,
        setuid_reason=setuid_reason,
    )
