"""What a request mounts: ``Binds`` strings and ``Mounts`` entries, read into one form.

``Binds`` follow the engine's Linux parser: ``source:target[:mode]``, split on ``:`` at most
three times; a source starting with ``/`` is a host path (a bind), any other source names a
volume, and an entry with no source is an anonymous volume. ``Mounts`` entries carry their
``Type`` (compared exactly, as the engine does); a ``volume`` entry may name an inline volume
driver and driver options in ``VolumeOptions.DriverConfig`` - the options of the ``local``
driver can make a "volume" a bind of any host path (``type=none,o=bind,device=/etc``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from seawall.authz.spec import Section, SpecError

_NO_OPTIONS: Mapping[str, str] = MappingProxyType({})


class MountKind(StrEnum):
    """What a mount gives the container."""

    BIND = "bind"  # a host path
    VOLUME = "volume"  # a named or anonymous volume
    TMPFS = "tmpfs"  # memory only
    IMAGE = "image"  # an image's file system (API 1.48+), source is an image reference
    OTHER = "other"  # npipe, cluster, or a type the engine refuses


@dataclass(frozen=True, slots=True)
class MountSpec:
    """One mount a request asks for.

    ``source`` is the host path of a bind, the volume name of a volume (``""`` for an anonymous
    one) or the image reference of an image mount. ``driver``/``options`` are the inline volume
    driver and its options (``Mounts[].VolumeOptions.DriverConfig``).
    """

    where: str
    kind: MountKind
    type_name: str
    source: str
    driver: str = ""
    options: Mapping[str, str] = field(default_factory=lambda: _NO_OPTIONS)


_KINDS = {kind.value: kind for kind in MountKind if kind is not MountKind.OTHER}


def binds(section: Section) -> tuple[MountSpec, ...]:
    """The ``Binds`` of a HostConfig section."""
    out = []
    for i, raw in enumerate(section.texts("Binds")):
        where = f"{section.name('Binds')}[{i}]"
        parts = raw.split(":", 3)
        if not parts[0]:
            raise SpecError(f"{where}: empty bind specification")
        source = parts[0] if len(parts) >= 2 else ""
        kind = MountKind.BIND if source.startswith("/") else MountKind.VOLUME
        out.append(MountSpec(where, kind, kind.value, source))
    return tuple(out)


def mounts(section: Section) -> tuple[MountSpec, ...]:
    """The ``Mounts`` of a HostConfig or a service's ContainerSpec."""
    out = []
    for entry in section.children("Mounts"):
        type_name = entry.text("Type")
        kind = _KINDS.get(type_name, MountKind.OTHER)
        driver, options = "", _NO_OPTIONS
        volume_options = entry.child("VolumeOptions")
        config = volume_options.child("DriverConfig") if volume_options else None
        if config is not None:
            driver, options = config.text("Name"), config.text_map("Options")
        out.append(MountSpec(entry.where, kind, type_name, entry.text("Source"), driver, options))
    return tuple(out)


def all_mounts(section: Section) -> tuple[MountSpec, ...]:
    """``Binds`` and ``Mounts`` of one section."""
    if section.raw("Binds") is None and section.raw("Mounts") is None:
        return ()  # the usual case, asked for by host_paths and the volume checks alike
    return binds(section) + mounts(section)


def device_path(options: Mapping[str, str]) -> str | None:
    """The host path a ``local`` volume's ``device`` option names, if it is one."""
    device = options.get("device", "")
    return device if device.startswith("/") else None


def mount_volume_names(specs: tuple[MountSpec, ...]) -> list[str]:
    """The named volumes ``specs`` mount (anonymous volumes have no name and are always new)."""
    return [s.source for s in specs if s.kind is MountKind.VOLUME and s.source]


def mount_host_paths(specs: tuple[MountSpec, ...]) -> list[str]:
    """Every host path named by ``specs``: bind sources and volume ``device`` options."""
    out = []
    for spec in specs:
        if spec.kind is MountKind.BIND and spec.source:
            out.append(spec.source)
        device = device_path(spec.options)
        if device is not None:
            out.append(device)
    return out
