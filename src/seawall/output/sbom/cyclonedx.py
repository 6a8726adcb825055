"""``cyclonedx``: the inventory as a CycloneDX 1.6 JSON BOM (valid against bom-1.6.schema.json).

Shape (CycloneDX 1.6, JSON):

- ``serialNumber`` ``urn:uuid:`` from ``SbomOptions.id_factory``, ``version`` 1,
  ``metadata.timestamp`` from ``Inventory.generated_at``, ``metadata.tools.components`` naming
  seawall, and ``metadata.component`` the image (type ``container``; name = the reference as
  given, version = the manifest digest or image ID; ``seawall:image:*`` and
  ``seawall:layer:N:*`` properties describe the layers).
- ``components``: the distribution (type ``operating-system``) when known, then one
  ``library`` per package in a fixed order, with ``bom-ref`` (the purl, made unique with the
  path when one purl is found in several places), ``purl``, ``licenses`` and ``seawall:*``
  properties (path, layer index / diff ID / instruction / base, source package, analyzer...).
- ``dependencies``: the image depends on every component. Nothing is said of the components'
  own dependencies (unknown is not "none").

Build instructions are shown with secret-looking values redacted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from seawall.model.inventory import ImageInfo, Inventory, LayerRef, OSInfo, Package
from seawall.model.redact import redact_text
from seawall.output.sbom.base import (
    MAX_VERSION,
    SbomOptions,
    base_label,
    clip,
    doc_writer,
    sorted_packages,
    utc_timestamp,
)
from seawall.output.sbom.licenses import cyclonedx_licenses
from seawall.output.view import dump_json, encodable

SPEC_VERSION = "1.6"
SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
#: bom-ref of the image (package refs are purls or ``seawall:package:...``: never equal).
IMAGE_REF = "seawall:image"


def _prop(name: str, value: object) -> dict[str, str]:
    return {"name": name, "value": str(value)}


def layer_properties(prefix: str, layer: LayerRef, *, stored: bool) -> list[dict[str, str]]:
    """``{prefix}index``, ``diff_id``, ``created_by`` and ``base`` properties of a layer.

    ``stored`` adds the blob's ``digest``, ``size`` and ``media_type`` (said once, on the image
    component).
    """
    props = [_prop(f"{prefix}index", layer.index), _prop(f"{prefix}diff_id", layer.diff_id)]
    if stored and layer.digest:
        props.append(_prop(f"{prefix}digest", layer.digest))
    if stored and layer.size is not None:
        props.append(_prop(f"{prefix}size", layer.size))
    if stored and layer.media_type:
        props.append(_prop(f"{prefix}media_type", layer.media_type))
    if layer.created_by:
        props.append(_prop(f"{prefix}created_by", redact_text(layer.created_by)))
    props.append(_prop(f"{prefix}base", base_label(layer)))
    return props


def _image_component(image: ImageInfo) -> dict[str, Any]:
    props = [_prop("seawall:image:source", image.source)]
    for name, value in (
        ("id", image.id),
        ("digest", image.digest),
        ("os", image.os),
        ("architecture", image.architecture),
        ("created", image.created),
        ("base_image", image.base_image),
    ):
        if value:
            props.append(_prop(f"seawall:image:{name}", value))
    props.extend(_prop("seawall:image:tag", tag) for tag in image.tags)
    for layer in image.layers:
        props.extend(layer_properties(f"seawall:layer:{layer.index}:", layer, stored=True))
    component: dict[str, Any] = {"type": "container", "bom-ref": IMAGE_REF, "name": image.ref}
    version = image.digest or image.id
    if version:
        component["version"] = clip(version, MAX_VERSION)
    component["properties"] = props
    return component


def _os_component(os: OSInfo) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "operating-system",
        "bom-ref": f"seawall:os:{os.id}@{os.version_id}",
        "name": os.id,
    }
    if os.version_id:
        component["version"] = clip(os.version_id, MAX_VERSION)
    if os.pretty_name or os.name:
        component["description"] = os.pretty_name or os.name
    props = [
        _prop(f"seawall:os:{key}", value)
        for key, value in (("name", os.name), ("codename", os.codename))
        if value
    ]
    if props:
        component["properties"] = props
    return component


def bom_refs(packages: list[Package]) -> list[str]:
    """A unique bom-ref per package: its purl, qualified with the path when the purl repeats."""
    # Compared as written: lone surrogates become U+FFFD in the output, so compare after that.
    bases = [
        encodable(p.purl or f"seawall:package:{p.ecosystem}/{p.name}@{p.version}") for p in packages
    ]
    counts = Counter(bases)
    seen: set[str] = set()
    refs: list[str] = []
    for base, pkg in zip(bases, packages, strict=True):
        ref = base
        if counts[base] > 1:
            joiner = "&" if "?" in base.partition("#")[0] else "?"
            ref = f"{base.partition('#')[0]}{joiner}seawall-path={quote(encodable(pkg.path), safe='/')}"
        candidate, n = ref, 1
        while candidate in seen or candidate == IMAGE_REF:
            n += 1
            candidate = f"{ref}&seawall-dup={n}"
        seen.add(candidate)
        refs.append(candidate)
    return refs


def package_properties(pkg: Package) -> list[dict[str, str]]:
    """The ``seawall:*`` properties of one package component."""
    props = [_prop("seawall:path", pkg.path), _prop("seawall:analyzer", pkg.analyzer)]
    if not pkg.purl.startswith(f"pkg:{pkg.ecosystem}/"):
        # The purl type is the ecosystem; say it when the purl cannot.
        props.append(_prop("seawall:ecosystem", pkg.ecosystem))
    if pkg.layer is not None:
        props.extend(layer_properties("seawall:layer:", pkg.layer, stored=False))
    for name, value in (
        ("source_name", pkg.source_name),
        ("source_version", pkg.source_version),
        ("epoch", pkg.epoch),
        ("arch", pkg.arch),
        ("maintainer", pkg.maintainer),
    ):
        if value is not None and value != "":
            props.append(_prop(f"seawall:{name}", value))
    props.extend(_prop(f"seawall:{key}", value) for key, value in pkg.properties)
    return props


def _package_component(pkg: Package, ref: str) -> dict[str, Any]:
    component: dict[str, Any] = {"type": "library", "bom-ref": ref, "name": pkg.name}
    if pkg.version:
        component["version"] = clip(pkg.version, MAX_VERSION)
    if pkg.purl:
        component["purl"] = pkg.purl
    licenses = cyclonedx_licenses(pkg.licenses)
    if licenses:
        component["licenses"] = licenses
    component["properties"] = package_properties(pkg)
    return component


def bom_document(inventory: Inventory, options: SbomOptions) -> dict[str, Any]:
    """The BOM as a JSON-ready dict in the documented key order."""
    packages = sorted_packages(inventory)
    refs = bom_refs(packages)
    components = [_package_component(p, r) for p, r in zip(packages, refs, strict=True)]
    if inventory.os is not None and inventory.os.id:
        components.insert(0, _os_component(inventory.os))
    tool = {"type": "application", "name": options.tool_name, "version": options.tool_version}
    metadata: dict[str, Any] = {
        "timestamp": utc_timestamp(inventory.generated_at, options),
        "tools": {"components": [tool]},
        "component": _image_component(inventory.image),
    }
    if inventory.notes:
        metadata["properties"] = [_prop("seawall:note", note) for note in inventory.notes]
    return {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{options.id_factory()}",
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": [
            {"ref": IMAGE_REF, "dependsOn": [c["bom-ref"] for c in components]},
        ],
    }


@doc_writer(
    name="cyclonedx",
    media_type="application/vnd.cyclonedx+json",
    extension=".cdx.json",
    description="CycloneDX 1.6 JSON SBOM (image as metadata.component, one component a package).",
)
def write_cyclonedx(inventory: Inventory, options: SbomOptions) -> str:
    """Serialise the inventory as CycloneDX; deterministic for a given inventory and options."""
    return dump_json(bom_document(inventory, options))
