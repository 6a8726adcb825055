"""Volumes and mounts: binds, named volumes, volume drivers and options, ``VolumesFrom``.

A "volume" can be a host bind in disguise. The ``local`` driver mounts whatever its options
say: ``type=none,o=bind,device=/etc`` is a bind of ``/etc``, ``type=proc`` a host procfs, a
relative ``device`` is resolved from the engine's working directory. So driver options need
``volume_options``, and even then the local driver's options must be ones this module can
judge: a ``device`` that is a host path goes through the host path checks, network file
systems (``nfs``, ``cifs``) and ``tmpfs`` are fine, any other file system type is refused.

``VolumesFrom`` copies every mount of another container, host binds included, which this pure
check cannot see; it is allowed only when the rule allows every host path (``/``).
"""

from __future__ import annotations

from collections.abc import Mapping

from seawall.authz.constraints import Violation, hostpaths, registries
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section
from seawall.authz.spec_mounts import MountKind, MountSpec, all_mounts

NETWORK_TYPES = frozenset({"nfs", "nfs4", "cifs", "smb3"})
#: File system types whose ``device`` is a host path or block device (judged as a host path).
PATH_TYPES = frozenset({"", "none", "ext2", "ext3", "ext4", "xfs", "btrfs"})
LOCAL_OPTIONS = frozenset({"type", "o", "device", "size"})
_BIND_FLAGS = frozenset({"bind", "rbind"})


#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = ("VolumeDriver", "Binds", "Mounts", "VolumesFrom")


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """Binds, Mounts, VolumeDriver and VolumesFrom of a HostConfig section."""
    driver = section.text("VolumeDriver")
    if (driver or "local") not in constraints.volume_drivers:  # the name only for a finding
        return check_driver(driver, section.name("VolumeDriver"), constraints)
    for spec in all_mounts(section):
        found = check_mount(spec, constraints, context)
        if found is not None:
            return found
    return check_volumes_from(section, constraints)


def check_mount(spec: MountSpec, constraints: Constraints, context: Context) -> Violation | None:
    """One bind or mount entry."""
    match spec.kind:
        case MountKind.BIND:
            return hostpaths.check_host_path(spec.source, spec.where, constraints, context)
        case MountKind.VOLUME:
            return _check_volume(spec, constraints, context)
        case MountKind.TMPFS:
            return None
        case MountKind.IMAGE:
            return registries.check_ref(spec.source, f"{spec.where} image", constraints)
        case MountKind.OTHER:
            key = "volume_drivers" if spec.type_name == "cluster" else "host_paths"
            return Violation(key, f"{spec.where}: mount type {spec.type_name[:40]!r} not allowed")


def _check_volume(spec: MountSpec, constraints: Constraints, context: Context) -> Violation | None:
    if spec.source and not constraints.named_volumes:
        return Violation("named_volumes", f"{spec.where}: named volume {spec.source[:80]!r}")
    if spec.source:
        found = check_existing(spec.source, spec.where, constraints, context)
        if found is not None:
            return found
    found = check_driver(spec.driver, f"{spec.where} volume driver", constraints)
    if found is not None:
        return found
    return check_options(spec.driver, spec.options, spec.where, constraints, context)


def check_existing(
    name: str, where: str, constraints: Constraints, context: Context
) -> Violation | None:
    """An existing volume is judged by how it was created: it may be a host bind in disguise."""
    facts = context.volumes.get(name)
    if facts is None:
        if context.edge == "plugin":
            return Violation(
                "named_volumes",
                f"{where}: volume {name[:80]!r} may already exist as a host bind, which the "
                "AuthZ plugin cannot look up; use the seawall proxy or a bind the rule allows",
            )
        return None  # the proxy looked it up and found nothing: the engine makes a plain one
    if not facts.known:
        return Violation("named_volumes", f"{where}: volume {name[:80]!r} could not be looked up")
    if not facts.exists:
        return None
    label = f"{where} (existing volume {name[:80]!r})"
    found = check_driver(facts.driver, f"{label} driver", constraints)
    if found is not None:
        return found
    return check_options(facts.driver, facts.options, label, constraints, context)


def check_driver(driver: str, where: str, constraints: Constraints) -> Violation | None:
    """A volume driver must be allowed (empty means the default, ``local``)."""
    name = driver or "local"
    if name not in constraints.volume_drivers:
        allowed = ", ".join(sorted(constraints.volume_drivers)) or "none"
        return Violation("volume_drivers", f"{where} is {name[:80]!r} (allowed: {allowed})")
    return None


def check_options(
    driver: str,
    options: Mapping[str, str],
    where: str,
    constraints: Constraints,
    context: Context,
) -> Violation | None:
    """Volume driver options (see the module docstring)."""
    if not options:
        return None
    keys = ", ".join(sorted(options))[:120]
    if not constraints.volume_options:
        return Violation(
            "volume_options",
            f"{where} sets volume driver options ({keys}); "
            "with the local driver they can bind any host path",
        )
    if (driver or "local") != "local":
        return None  # a driver the rule allows interprets its own options
    unknown = sorted(set(options) - LOCAL_OPTIONS)
    if unknown:
        return Violation("volume_options", f"{where}: unknown local volume option {unknown[0]!r}")
    fs_type = options.get("type", "")
    binds = bool(_BIND_FLAGS & set(options.get("o", "").split(",")))
    if not binds and (fs_type in NETWORK_TYPES or fs_type == "tmpfs"):
        return None
    if not binds and fs_type not in PATH_TYPES:
        return Violation(
            "volume_options", f"{where}: volume type {fs_type[:40]!r} is not one seawall can judge"
        )
    device = options.get("device", "")
    return hostpaths.check_host_path(device, f"{where} device", constraints, context)


def check_volumes_from(section: Section, constraints: Constraints) -> Violation | None:
    """``VolumesFrom`` only when the rule allows every host path and named volumes."""
    sources = section.texts("VolumesFrom")
    if not sources:
        return None
    if "/" in constraints.host_paths and constraints.named_volumes:
        return None
    return Violation(
        "host_paths",
        f"{section.name('VolumesFrom')} copies the mounts of {sources[0][:80]!r}, which may "
        "include host binds this check cannot see",
    )


def check_volume_create(
    body: Section, constraints: Constraints, context: Context
) -> Violation | None:
    """``volume.create``: driver, driver options, cluster (CSI) volumes."""
    found = check_driver(body.text("Driver"), body.name("Driver"), constraints)
    if found is not None:
        return found
    if body.has("ClusterVolumeSpec"):
        return Violation("volume_drivers", "ClusterVolumeSpec asks for a cluster (CSI) volume")
    return check_options(
        body.text("Driver"), body.text_map("DriverOpts"), "DriverOpts", constraints, context
    )
