"""``spdx-json``: the inventory as an SPDX 2.3 JSON document (valid against spdx-schema.json).

Shape (SPDX 2.3 chapters 6, 7 and 11):

- ``SPDXRef-DOCUMENT``, ``dataLicense`` ``CC0-1.0``, ``name`` = the image reference,
  ``documentNamespace`` ``https://spdx.org/spdxdocs/seawall-<name>-<uuid>`` (the spec's
  recommended form; a fresh UUID from ``SbomOptions.id_factory`` per document),
  ``creationInfo`` with ``created`` (``YYYY-MM-DDThh:mm:ssZ``), ``creators``
  ``["Tool: seawall-<version>"]`` and the license list version of our identifier list.
- Packages: the image (``primaryPackagePurpose`` ``CONTAINER``), the distribution
  (``OPERATING_SYSTEM``) when known, and one ``LIBRARY`` per package with a unique ``SPDXID``
  (``SPDXRef-Package-<ecosystem>-<name>-<hash>``, idstring characters only),
  ``versionInfo``, ``downloadLocation`` ``NOASSERTION``, ``filesAnalyzed`` false,
  ``licenseConcluded`` ``NOASSERTION`` (a scanner concludes nothing), ``licenseDeclared`` an
  SPDX expression (free text as a declared ``LicenseRef-``), the purl as a
  ``PACKAGE-MANAGER``/``purl`` external reference and ``sourceInfo`` naming the layer (index,
  diff ID, base or own, the redacted instruction), the path and the source package.
- Relationships: the document ``DESCRIBES`` the image; the image ``CONTAINS`` the rest.
"""

from __future__ import annotations

import hashlib
from typing import Any

from seawall.model.inventory import ImageInfo, Inventory, OSInfo, Package
from seawall.model.redact import redact_text
from seawall.output.sbom.base import (
    SbomOptions,
    base_label,
    doc_writer,
    slug,
    sorted_packages,
    utc_timestamp,
)
from seawall.output.sbom.licenses import spdx_expression
from seawall.output.view import dump_json

#: SPDX License List version of ``spdx-ids.txt``.
LICENSE_LIST_VERSION = "3.10"
DOCUMENT_ID = "SPDXRef-DOCUMENT"
IMAGE_ID = "SPDXRef-Image"
OS_ID = "SPDXRef-OperatingSystem"
NOASSERTION = "NOASSERTION"


def spdx_ids(packages: list[Package]) -> list[str]:
    """A unique, valid ``SPDXID`` per package (``SPDXRef-`` + letters, digits, ``.`` and ``-``)."""
    seen = {DOCUMENT_ID, IMAGE_ID, OS_ID}
    out: list[str] = []
    for pkg in packages:
        key = "\x00".join((pkg.ecosystem, pkg.name, pkg.version, pkg.path, pkg.purl))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        words = [w for w in ("Package", slug(pkg.ecosystem, 16), slug(pkg.name, 48), digest) if w]
        base = "SPDXRef-" + "-".join(words)
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def _base_package(spdx_id: str, name: str, version: str, purpose: str) -> dict[str, Any]:
    pkg: dict[str, Any] = {"SPDXID": spdx_id, "name": name}
    if version:
        pkg["versionInfo"] = version
    pkg["downloadLocation"] = NOASSERTION
    pkg["filesAnalyzed"] = False
    pkg["primaryPackagePurpose"] = purpose
    return pkg


def _image_package(image: ImageInfo) -> dict[str, Any]:
    pkg = _base_package(IMAGE_ID, image.ref, image.digest or image.id, "CONTAINER")
    pkg["licenseConcluded"] = NOASSERTION
    pkg["licenseDeclared"] = NOASSERTION
    facts = [f"source {image.source}"]
    facts += [
        f"{k} {v}" for k, v in (("image ID", image.id), ("base image", image.base_image)) if v
    ]
    facts += [
        f"layer {layer.index}: {layer.diff_id} ({base_label(layer)})"
        + (f" created by: {redact_text(layer.created_by)}" if layer.created_by else "")
        for layer in image.layers
    ]
    pkg["sourceInfo"] = "; ".join(facts)
    return pkg


def _os_package(os: OSInfo) -> dict[str, Any]:
    pkg = _base_package(OS_ID, os.id, os.version_id, "OPERATING_SYSTEM")
    pkg["licenseConcluded"] = NOASSERTION
    pkg["licenseDeclared"] = NOASSERTION
    if os.pretty_name or os.name:
        pkg["description"] = os.pretty_name or os.name
    return pkg


def source_info(pkg: Package) -> str:
    """Where the package came from: layer, instruction, path and source package, one line."""
    parts: list[str] = []
    if pkg.layer is not None:
        layer = pkg.layer
        text = f"layer {layer.index} ({layer.diff_id}, {base_label(layer)})"
        if layer.created_by:
            text += f" created by: {redact_text(layer.created_by)}"
        parts.append(text)
    parts.append(f"found in {pkg.path} by {pkg.analyzer}")
    if pkg.source_name:
        parts.append(f"source package {pkg.source_name} {pkg.source_version or pkg.version}")
    return "; ".join(parts)


def _package(pkg: Package, spdx_id: str, refs: dict[str, str]) -> dict[str, Any]:
    out = _base_package(spdx_id, pkg.name, pkg.version, "LIBRARY")
    out["licenseConcluded"] = NOASSERTION
    out["licenseDeclared"] = spdx_expression(pkg.licenses, refs)
    # The locator is "a unique string with no spaces": a purl with any is not used.
    if pkg.purl and not any(ch.isspace() for ch in pkg.purl):
        out["externalRefs"] = [
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": pkg.purl,
            }
        ]
    out["sourceInfo"] = source_info(pkg)
    return out


def _relationship(element: str, kind: str, related: str) -> dict[str, str]:
    return {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}


def spdx_document(inventory: Inventory, options: SbomOptions) -> dict[str, Any]:
    """The SPDX document as a JSON-ready dict in the documented key order."""
    image = inventory.image
    packages = sorted_packages(inventory)
    ids = spdx_ids(packages)
    refs: dict[str, str] = {}
    spdx_packages = [_image_package(image)]
    if inventory.os is not None and inventory.os.id:
        spdx_packages.append(_os_package(inventory.os))
    spdx_packages += [_package(p, i, refs) for p, i in zip(packages, ids, strict=True)]
    relationships = [_relationship(DOCUMENT_ID, "DESCRIBES", IMAGE_ID)]
    relationships += [_relationship(IMAGE_ID, "CONTAINS", p["SPDXID"]) for p in spdx_packages[1:]]
    name = image.ref or "image"
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": DOCUMENT_ID,
        "name": name,
        "documentNamespace": (
            f"https://spdx.org/spdxdocs/seawall-{slug(name) or 'image'}-{options.id_factory()}"
        ),
        "creationInfo": {
            "created": utc_timestamp(inventory.generated_at, options),
            "creators": [f"Tool: {options.tool_name}-{options.tool_version}"],
            "licenseListVersion": LICENSE_LIST_VERSION,
        },
        "packages": spdx_packages,
        "relationships": relationships,
    }
    if refs:
        doc["hasExtractedLicensingInfos"] = [
            {
                "licenseId": ref,
                "extractedText": text,
                "name": (text.splitlines() or [text])[0][:200],
            }
            for ref, text in sorted(refs.items())
        ]
    if inventory.notes:
        doc["comment"] = "\n".join(inventory.notes)
    return doc


@doc_writer(
    name="spdx-json",
    media_type="application/spdx+json",
    extension=".spdx.json",
    description="SPDX 2.3 JSON document (image package CONTAINS one package per finding).",
)
def write_spdx(inventory: Inventory, options: SbomOptions) -> str:
    """Serialise the inventory as SPDX 2.3 JSON; deterministic for given inventory and options."""
    return dump_json(spdx_document(inventory, options))
