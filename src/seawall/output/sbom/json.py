"""``json``: the inventory as seawall's own versioned JSON (schema: ``inventory-1.0.schema.json``).

Keys come in a fixed order with ``schema_version`` first; packages in the order of every SBOM
format (ecosystem, name, version, path). Each package names its layer by index and diff ID
(details under ``image.layers``) and whether that layer is the base image's (``base``), the
image's own (``own``) or ``unknown``. Build instructions are shown with secrets redacted.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from seawall.model.inventory import ImageInfo, Inventory, LayerRef, OSInfo, Package
from seawall.model.redact import redact_text
from seawall.output.sbom.base import SbomOptions, base_label, doc_writer, sorted_packages
from seawall.output.view import dump_json

#: Version of this format; a breaking change gets a new major version and a new schema file.
SCHEMA_VERSION = "1.0"
#: Packaged JSON Schema (draft 2020-12) of this format.
SCHEMA_FILE = "inventory-1.0.schema.json"


def inventory_schema_text() -> str:
    """The JSON Schema of the inventory format as shipped (``seawall`` can print it)."""
    from importlib import resources  # only when the schema is asked for

    return (
        resources.files("seawall.output")
        .joinpath("schemas", SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )


def inventory_schema() -> dict[str, Any]:
    """The JSON Schema of the inventory format, parsed."""
    schema: dict[str, Any] = json.loads(inventory_schema_text())
    return schema


def layer_document(layer: LayerRef) -> dict[str, Any]:
    """One layer as JSON (also used by ``image inspect``), its instruction redacted."""
    return {
        "index": layer.index,
        "diff_id": layer.diff_id,
        "digest": layer.digest,
        "size": layer.size,
        "media_type": layer.media_type,
        "created_by": redact_text(layer.created_by),
        "base": base_label(layer),
    }


def image_identity(image: ImageInfo) -> dict[str, Any]:
    """The image's identity as JSON in the documented key order (shared with ``image inspect``)."""
    return {
        "ref": image.ref,
        "source": image.source,
        "id": image.id,
        "digest": image.digest,
        "tags": list(image.tags),
        "os": image.os,
        "architecture": image.architecture,
        "created": image.created,
        "base_image": image.base_image,
    }


def _image(image: ImageInfo) -> dict[str, Any]:
    return {
        **image_identity(image),
        "layers": [layer_document(layer) for layer in image.layers],
    }


def _os(os: OSInfo | None) -> dict[str, str] | None:
    if os is None:
        return None
    return {
        "id": os.id,
        "version_id": os.version_id,
        "name": os.name,
        "pretty_name": os.pretty_name,
        "codename": os.codename,
    }


def _package(pkg: Package) -> dict[str, Any]:
    layer = pkg.layer
    return {
        "name": pkg.name,
        "version": pkg.version,
        "ecosystem": pkg.ecosystem,
        "purl": pkg.purl,
        "path": pkg.path,
        "analyzer": pkg.analyzer,
        "source_name": pkg.source_name,
        "source_version": pkg.source_version,
        "epoch": pkg.epoch,
        "arch": pkg.arch,
        "licenses": list(pkg.licenses),
        "maintainer": pkg.maintainer,
        "layer": None
        if layer is None
        else {"index": layer.index, "diff_id": layer.diff_id, "base": base_label(layer)},
        "properties": [{"name": k, "value": v} for k, v in pkg.properties],
    }


def inventory_document(inventory: Inventory, options: SbomOptions) -> dict[str, Any]:
    """The inventory as a JSON-ready dict in the documented key order."""
    packages = sorted_packages(inventory)
    origins = Counter(base_label(p.layer) for p in packages)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": options.tool_name, "version": options.tool_version},
        "generated_at": inventory.generated_at,
        "image": _image(inventory.image),
        "os": _os(inventory.os),
        "summary": {
            "packages": len(packages),
            "ecosystems": dict(sorted(Counter(p.ecosystem for p in packages).items())),
            "origin": {key: origins.get(key, 0) for key in ("base", "own", "unknown")},
        },
        "packages": [_package(p) for p in packages],
        "notes": list(inventory.notes),
    }


@doc_writer(
    name="json",
    media_type="application/json",
    extension=".json",
    description="seawall's inventory JSON (schema_version 1.0, JSON Schema shipped).",
)
def write_inventory_json(inventory: Inventory, options: SbomOptions) -> str:
    """Serialise the inventory; deterministic for a given inventory and options."""
    return dump_json(inventory_document(inventory, options))
