"""Open an image from a source spec: ``docker:``, ``docker-archive:``, ``oci:``,
``oci-archive:``, ``registry:``, ``container:``, or a bare reference (the local engine only).

Nothing leaves the machine unless the spec says ``registry:``. ``open_input`` serves
``--input PATH``: it tells a ``docker save`` archive from an OCI layout (a directory or a tar,
plain or compressed) by what is inside.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from seawall.errors import UsageError
from seawall.image.archive import TarIndex, docker_archive_image, open_docker_archive
from seawall.image.manifest import Platform, parse_platform
from seawall.image.source import OpenedImage
from seawall.image.walk import ImageError

if TYPE_CHECKING:
    from seawall.image.registry_auth import RegistryAuth

#: Source prefixes, in the order they are documented.
PREFIXES = ("docker", "docker-archive", "oci", "oci-archive", "registry", "container")

# distribution/reference grammar (name[:tag][@digest]); a bare image ID also matches.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)
_IMAGE_ID = re.compile(r"^sha256:[0-9a-f]{4,64}$")
_PREFIX = re.compile(r"^([a-z][a-z0-9-]*):(.*)$", re.DOTALL)


def is_reference(text: str) -> bool:
    """Is ``text`` an image reference or ID the engine could know (``alpine:3``, ``sha256:…``)?"""
    return len(text) <= 4096 and bool(_REFERENCE.match(text) or _IMAGE_ID.match(text))


def split_location(rest: str) -> tuple[str, str | None]:
    """``PATH[:REF]`` -> (path, ref): the longest existing path wins (paths may hold ``:``)."""
    if os.path.exists(rest) or ":" not in rest:
        return rest, None
    cut = len(rest)
    while (cut := rest.rfind(":", 0, cut)) > 0:
        if os.path.exists(rest[:cut]):
            return rest[:cut], rest[cut + 1 :] or None
    return rest, None


def _usage_unknown(prefix: str) -> UsageError:
    listed = ", ".join(f"{p}:" for p in PREFIXES)
    return UsageError(
        f"unknown image source {prefix + ':'!r}; use one of {listed}",
        hint="a bare reference (name:tag, ID or name@digest) means the local engine",
    )


def _check_platform(image: OpenedImage, platform: str | None) -> OpenedImage:
    """Refuse an image of another platform when one was asked for (single-platform sources)."""
    if platform is None:
        return image
    want = parse_platform(platform)
    info = image.info
    actual = Platform(info.os, info.architecture)
    if info.os and info.architecture and not Platform(want.os, want.architecture).matches(actual):
        image.close()
        raise ImageError(f"{info.ref}: the image is {actual}, not {want}")
    return image


def _registry(
    ref: str,
    *,
    tmpdir: str,
    platform: str | None,
    insecure: tuple[str, ...],
    auth: RegistryAuth | None,
) -> OpenedImage:
    try:
        from seawall.image.registry import open_registry
    except ImportError:
        raise ImageError(f"registry:{ref}: registry source not available") from None
    opened: OpenedImage = open_registry(
        ref, tmpdir=tmpdir, platform=platform, insecure=insecure, auth=auth
    )
    return opened


def open_image(
    spec: str,
    *,
    tmpdir: str,
    endpoint: str | None = None,
    platform: str | None = None,
    insecure_registries: tuple[str, ...] = (),
    auth: RegistryAuth | None = None,
) -> OpenedImage:
    """Open the image ``spec`` names. ``tmpdir`` receives every temp file (caller cleans up).

    ``endpoint`` is the engine for ``docker:``/``container:``; ``platform`` picks an image of
    an index (``oci``, ``oci-archive``, ``registry``) and is checked for the others;
    ``insecure_registries`` and ``auth`` are handed to the registry source as ``insecure``
    and ``auth``. Raises ``UsageError`` for a malformed spec, ``ImageError`` for damaged or
    missing images, ``EngineError`` when the engine cannot be reached.
    """
    if platform is not None:
        parse_platform(platform)  # a malformed --platform is a usage error for every source
    match = _PREFIX.match(spec)
    prefix, rest = (match.group(1), match.group(2)) if match else ("", spec)
    if prefix not in PREFIXES:
        if not is_reference(spec):
            if match:
                raise _usage_unknown(prefix)
            raise UsageError(f"{spec!r} is not an image reference or a source spec")
        prefix, rest = "docker", spec
    if not rest:
        raise UsageError(
            f"{prefix}: needs a {'reference' if prefix in ('docker', 'registry') else 'path'}"
        )
    if prefix == "docker":
        from seawall.docker.image_source import open_engine_image

        opened: OpenedImage = open_engine_image(rest, tmpdir=tmpdir, endpoint=endpoint, spec=spec)
        return _check_platform(opened, platform)
    if prefix == "container":
        from seawall.docker.image_source import open_container

        return open_container(rest, endpoint=endpoint, spec=spec)
    if prefix == "registry":
        return _registry(
            rest, tmpdir=tmpdir, platform=platform, insecure=insecure_registries, auth=auth
        )
    path, selector = split_location(rest)
    if not os.path.exists(path):
        raise ImageError(f"{spec}: no such file or directory: {path}")
    if prefix == "docker-archive":
        image = open_docker_archive(path, tmpdir=tmpdir, ref=spec, selector=selector)
        return _check_platform(image, platform)
    from seawall.image.oci import open_oci_archive, open_oci_dir  # for OCI layouts only

    if prefix == "oci":
        return open_oci_dir(path, tag=selector, ref=spec, platform=platform)
    return open_oci_archive(path, tmpdir=tmpdir, tag=selector, ref=spec, platform=platform)


def open_input(path: str, *, tmpdir: str, platform: str | None = None) -> OpenedImage:
    """``--input PATH``: a ``docker save`` archive or an OCI layout (dir or tar, maybe compressed).

    An archive holding both ``manifest.json`` and an OCI layout (Docker 25+ ``docker save``)
    is read as a docker archive.
    """
    if platform is not None:
        parse_platform(platform)
    if os.path.isdir(path):
        if os.path.exists(os.path.join(path, "oci-layout")):
            from seawall.image.oci import open_oci_dir  # imported for OCI layouts only

            return open_oci_dir(path, ref=path, platform=platform)
        raise ImageError(
            f"{path}: a directory without oci-layout (for a root filesystem use `seawall fs`)"
        )
    if not os.path.exists(path):
        raise ImageError(f"{path}: no such file or directory")
    index = TarIndex(path, tmpdir=tmpdir)
    try:
        if index.has("manifest.json"):
            image: OpenedImage = docker_archive_image(index, ref=path)
            return _check_platform(image, platform)
        if index.has("oci-layout") or index.has("index.json"):
            from seawall.image.oci import oci_archive_image

            return oci_archive_image(index, ref=path, platform=platform)
    except BaseException:
        index.close()
        raise
    index.close()
    raise ImageError(
        f"{path}: neither a docker save archive (manifest.json) nor an OCI layout (oci-layout, index.json)"
    )
