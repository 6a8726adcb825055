"""Read a CycloneDX JSON BOM (seawall's or another tool's) back into an ``Inventory`` (``--sbom``).

The file is hostile input. It is read up to a size cap, must be UTF-8 JSON nested no deeper
than a depth cap with at most a component cap, and every field used is type-checked: anything
else raises ``SbomError`` with one line naming the file and the problem (``app.cdx.json:
components[3].name is not a string``). Nothing of the file is executed or fetched.

What is read (CycloneDX 1.2-1.6 JSON):

- ``metadata.component``: the image (name -> reference; ``seawall:image:*`` properties, or
  Trivy's ``aquasecurity:trivy:*``, give IDs and layers); ``metadata.timestamp``.
- every component, nested ones included, of a software type with a purl or a version: name
  (``group`` joined the way seawall's analyzers spell names), version, purl (its type is the
  ecosystem), licenses (ids, names, expressions), and the package's path and layer from
  seawall's ``seawall:*`` properties, Trivy's and Syft's equivalents, or
  ``evidence.occurrences``.
- an ``operating-system`` component becomes the ``OSInfo``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seawall.errors import SeawallError
from seawall.model.inventory import ImageInfo, Inventory, LayerRef, OSInfo, Package

#: Largest BOM read (bytes). Real image BOMs are a few MB; 64 MiB leaves room for huge ones.
MAX_BYTES = 64 * 1024 * 1024
#: Deepest JSON nesting accepted (CycloneDX nests components, rarely past 10).
MAX_DEPTH = 64
#: Most components read (nested ones included).
MAX_COMPONENTS = 500_000
SUPPORTED_VERSIONS = frozenset({"1.2", "1.3", "1.4", "1.5", "1.6"})
PACKAGE_TYPES = frozenset({"library", "framework", "application", "firmware", "platform"})
ANALYZER = "sbom"


class SbomError(SeawallError):
    """A BOM given with ``--sbom`` cannot be read: one line naming the file and the problem."""


@dataclass(slots=True)
class _Reader:
    """State of one import: the file's name for messages and what has been read so far."""

    name: str
    packages: list[Package] = field(default_factory=list)
    os: OSInfo | None = None
    layers: tuple[LayerRef, ...] = ()
    count: int = 0

    def fail(self, problem: str) -> SbomError:
        return SbomError(f"{self.name}: {problem}", hint="give a CycloneDX JSON document")

    def obj(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} is not an object")
        return value

    def array(self, value: object, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{where} is not an array")
        return value

    def text(self, value: object, where: str, *, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where} is {'missing or ' if value is None else ''}not a string")
        return value


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise SbomError(f"{path}: {size} bytes is over the limit of {limit} bytes")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SbomError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise SbomError(f"{path}: more than the limit of {limit} bytes")
    return data


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _depth_ok(document: object) -> bool:
    """True when no value is nested deeper than ``MAX_DEPTH`` (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return True


def parse_json(data: bytes, name: str) -> dict[str, Any]:
    """The top-level object of a BOM's bytes; ``SbomError`` for anything that is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SbomError(f"{name}: not UTF-8 (byte {exc.start})") from exc
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise SbomError(f"{name}: JSON nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:
        raise SbomError(f"{name}: not valid JSON ({str(exc).splitlines()[0]})") from exc
    if not _depth_ok(document):
        raise SbomError(f"{name}: JSON nested deeper than {MAX_DEPTH} levels")
    if not isinstance(document, dict):
        raise SbomError(f"{name}: not a JSON object")
    return document


def _properties(r: _Reader, component: dict[str, Any], where: str) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for i, item in enumerate(r.array(component.get("properties"), f"{where}.properties")):
        item = r.obj(item, f"{where}.properties[{i}]")
        key = r.text(item.get("name"), f"{where}.properties[{i}].name", required=True)
        props.setdefault(key, []).append(r.text(item.get("value"), f"{where}.properties[{i}]"))
    return props


def _first(props: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        if props.get(key):
            return props[key][0]
    return ""


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _licenses(r: _Reader, component: dict[str, Any], where: str) -> tuple[str, ...]:
    out: list[str] = []
    for i, choice in enumerate(r.array(component.get("licenses"), f"{where}.licenses")):
        here = f"{where}.licenses[{i}]"
        choice = r.obj(choice, here)
        if "expression" in choice:
            out.append(r.text(choice["expression"], f"{here}.expression"))
            continue
        lic = r.obj(choice.get("license"), f"{here}.license")
        out.append(r.text(lic.get("id"), f"{here}.license.id") or r.text(lic.get("name"), here))
    return tuple(t for t in out if t)


def _layer_from(
    props: dict[str, list[str]], prefix: str, layers: tuple[LayerRef, ...]
) -> LayerRef | None:
    diff_id = _first(
        props, f"{prefix}diff_id", "aquasecurity:trivy:LayerDiffID", "syft:location:0:layerID"
    )
    index = _int(_first(props, f"{prefix}index"))
    # The image's own record of the layer is the fuller one: use it when it is the same layer.
    found = [
        layer
        for layer in layers
        if diff_id and layer.diff_id == diff_id and index in (None, layer.index)
    ]
    if found or index is None:
        return found[0] if found else None
    base = {"base": True, "own": False}.get(_first(props, f"{prefix}base"))
    digest = _first(props, f"{prefix}digest") or None
    size = _int(_first(props, f"{prefix}size"))
    media_type = _first(props, f"{prefix}media_type")
    created_by = _first(props, f"{prefix}created_by")
    return LayerRef(index, diff_id, digest, size, media_type, created_by, base)


def _image_layers(props: dict[str, list[str]]) -> tuple[LayerRef, ...]:
    layers: list[LayerRef] = []
    while f"seawall:layer:{len(layers)}:index" in props:
        layer = _layer_from(props, f"seawall:layer:{len(layers)}:", ())
        if layer is None:
            break
        layers.append(layer)
    if not layers:
        diff_ids = props.get("aquasecurity:trivy:DiffID", [])
        layers = [LayerRef(index=i, diff_id=d) for i, d in enumerate(diff_ids)]
    return tuple(layers)


_KNOWN = {
    "path",
    "analyzer",
    "source_name",
    "source_version",
    "epoch",
    "arch",
    "maintainer",
    "ecosystem",
}


def _package(r: _Reader, component: dict[str, Any], where: str) -> Package | None:
    kind = r.text(component.get("type"), f"{where}.type", required=True)
    name = r.text(component.get("name"), f"{where}.name", required=True)
    version = r.text(component.get("version"), f"{where}.version")
    purl = r.text(component.get("purl"), f"{where}.purl")
    props = _properties(r, component, where)
    if kind == "operating-system":
        description = r.text(component.get("description"), f"{where}.description")
        r.os = OSInfo(id=name, version_id=version, pretty_name=description)
        return None
    if kind not in PACKAGE_TYPES or not (purl or version):
        return None
    ecosystem = _first(props, "seawall:ecosystem") or (
        purl[4:].partition("/")[0].lower() if purl.startswith("pkg:") else "unknown"
    )
    group = r.text(component.get("group"), f"{where}.group")
    if group:
        name = f"{group}:{name}" if ecosystem == "maven" else f"{group}/{name}"
    path = _first(props, "seawall:path", "aquasecurity:trivy:FilePath", "syft:location:0:path")
    if not path:
        evidence = component.get("evidence")
        occurrences = evidence.get("occurrences") if isinstance(evidence, dict) else None
        if isinstance(occurrences, list) and occurrences and isinstance(occurrences[0], dict):
            path = r.text(occurrences[0].get("location"), f"{where}.evidence.occurrences[0]")
    extra = tuple(
        (key.removeprefix("seawall:"), value)
        for key, values in props.items()
        if key.startswith("seawall:")
        and not key.startswith("seawall:layer:")
        and key.removeprefix("seawall:") not in _KNOWN
        for value in values
    )
    return Package(
        name=name,
        version=version,
        ecosystem=ecosystem,
        purl=purl,
        analyzer=_first(props, "seawall:analyzer") or ANALYZER,
        path=path,
        source_name=_first(props, "seawall:source_name", "aquasecurity:trivy:SrcName") or None,
        source_version=_first(props, "seawall:source_version", "aquasecurity:trivy:SrcVersion")
        or None,
        epoch=_int(_first(props, "seawall:epoch")),
        arch=_first(props, "seawall:arch") or None,
        licenses=_licenses(r, component, where),
        maintainer=_first(props, "seawall:maintainer") or None,
        layer=_layer_from(props, "seawall:layer:", r.layers),
        properties=extra,
    )


def _walk(r: _Reader, components: list[Any], where: str) -> None:
    # Iterative, so a BOM nesting components deeply cannot exhaust the stack.
    stack = [(c, f"{where}[{i}]") for i, c in reversed(list(enumerate(components)))]
    while stack:
        value, here = stack.pop()
        r.count += 1
        if r.count > MAX_COMPONENTS:
            raise r.fail(f"more than {MAX_COMPONENTS} components")
        component = r.obj(value, here)
        pkg = _package(r, component, here)
        if pkg is not None:
            r.packages.append(pkg)
        nested = r.array(component.get("components"), f"{here}.components")
        stack.extend((c, f"{here}.components[{i}]") for i, c in reversed(list(enumerate(nested))))


def _image(r: _Reader, metadata: dict[str, Any], fallback: str) -> ImageInfo:
    component = metadata.get("component")
    if component is None:
        return ImageInfo(ref=fallback, source=ANALYZER)
    component = r.obj(component, "metadata.component")
    name = r.text(component.get("name"), "metadata.component.name", required=True)
    version = r.text(component.get("version"), "metadata.component.version")
    props = _properties(r, component, "metadata.component")
    r.layers = _image_layers(props)
    digest = _first(props, "seawall:image:digest", "aquasecurity:trivy:RepoDigest")
    image_id = _first(props, "seawall:image:id", "aquasecurity:trivy:ImageID")
    if not digest and not image_id:
        image_id = version
    return ImageInfo(
        ref=name,
        source=ANALYZER,
        id=image_id,
        digest=digest or None,
        tags=tuple(props.get("seawall:image:tag", props.get("aquasecurity:trivy:RepoTag", []))),
        os=_first(props, "seawall:image:os"),
        architecture=_first(props, "seawall:image:architecture"),
        created=_first(props, "seawall:image:created"),
        layers=r.layers,
        base_image=_first(props, "seawall:image:base_image") or None,
    )


def parse_cyclonedx(data: bytes, name: str) -> Inventory:
    """The inventory a CycloneDX JSON document describes (``name`` is used in messages)."""
    document = parse_json(data, name)
    r = _Reader(name)
    if document.get("bomFormat") != "CycloneDX":
        raise r.fail("not a CycloneDX BOM (bomFormat is not 'CycloneDX')")
    spec = r.text(document.get("specVersion"), "specVersion", required=True)
    if spec not in SUPPORTED_VERSIONS:
        raise r.fail(f"unsupported CycloneDX specVersion {spec!r} (1.2 to 1.6 are read)")
    metadata = r.obj(document.get("metadata", {}), "metadata")
    image = _image(r, metadata, Path(name).name)
    _walk(r, r.array(document.get("components"), "components"), "components")
    return Inventory(
        image=image,
        packages=tuple(r.packages),
        os=r.os,
        notes=(f"read from CycloneDX {spec} BOM {Path(name).name}",),
        generated_at=r.text(metadata.get("timestamp"), "metadata.timestamp"),
    )


def read_cyclonedx(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Inventory:
    """Read the CycloneDX JSON file at ``path`` (``--sbom FILE``) into an ``Inventory``."""
    file = Path(path)
    return parse_cyclonedx(_read_bytes(file, max_bytes), str(file))
