"""The spdx-json writer: valid SPDX 2.3 (offline, official schema) and faithful."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from typing import Any

import jsonschema
import pytest

from seawall.model.inventory import Inventory, Package
from seawall.output.sbom import SbomOptions, get_sbom_writer
from tests.output.sbom.conftest import FIXED_UUID, INVENTORY, SECRETS, fixed_options
from tests.output.sbom.validators import SPDX

SPDX_ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")
CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def load(inventory: Inventory, options: SbomOptions | None = None) -> dict[str, Any]:
    """Write ``inventory`` as SPDX JSON, validate it against the official schema and parse it."""
    doc: dict[str, Any] = json.loads(
        get_sbom_writer("spdx-json").write(inventory, options or fixed_options())
    )
    SPDX.validate(doc)
    return doc


def package(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """The one package called ``name``."""
    (found,) = [p for p in doc["packages"] if p["name"] == name]
    return found


def test_document(inventory: Inventory) -> None:
    doc = load(inventory)
    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["dataLicense"] == "CC0-1.0"
    assert doc["SPDXID"] == "SPDXRef-DOCUMENT"
    assert doc["name"] == "registry.example.com/team/app:1.4"
    assert doc["documentNamespace"] == (
        f"https://spdx.org/spdxdocs/seawall-registry.example.com-team-app-1.4-{FIXED_UUID}"
    )
    assert "#" not in doc["documentNamespace"]
    assert doc["creationInfo"] == {
        "created": "2024-05-01T12:00:00Z",
        "creators": ["Tool: seawall-0.1.0"],
        "licenseListVersion": "3.10",
    }
    assert doc["comment"] == "/dev/sda: device file skipped"


def test_namespace_is_new_for_every_document(inventory: Inventory) -> None:
    ids = iter([uuid.UUID(int=1), uuid.UUID(int=2)])
    options = fixed_options(id_factory=lambda: next(ids))
    assert (
        load(inventory, options)["documentNamespace"]
        != load(inventory, options)["documentNamespace"]
    )


@pytest.mark.parametrize("generated_at", ["", "2024-05-01T12:00:00.999999Z", "2024-05-01T12:00:00"])
def test_created_has_the_required_form(generated_at: str) -> None:
    created = load(dataclasses.replace(INVENTORY, generated_at=generated_at))["creationInfo"][
        "created"
    ]
    assert CREATED.match(created)
    assert created == ("2024-05-01T12:30:00Z" if not generated_at else "2024-05-01T12:00:00Z")


def test_packages_and_ids(inventory: Inventory) -> None:
    doc = load(inventory)
    ids = [p["SPDXID"] for p in doc["packages"]]
    assert len(set(ids)) == len(ids) == len(inventory.packages) + 2
    assert all(SPDX_ID.match(i) for i in ids)
    image = package(doc, "registry.example.com/team/app:1.4")
    assert image["SPDXID"] == "SPDXRef-Image"
    assert image["primaryPackagePurpose"] == "CONTAINER"
    assert image["versionInfo"] == "sha256:" + "e" * 64
    assert "layer 2: sha256:" + "3" * 64 + " (own)" in image["sourceInfo"]
    os = package(doc, "debian")
    assert (os["SPDXID"], os["primaryPackagePurpose"], os["versionInfo"]) == (
        "SPDXRef-OperatingSystem",
        "OPERATING_SYSTEM",
        "12",
    )
    cpp = package(doc, "cpp")
    assert cpp["versionInfo"] == "4:12.2.0-3"
    assert cpp["downloadLocation"] == "NOASSERTION"
    assert cpp["filesAnalyzed"] is False
    assert cpp["primaryPackagePurpose"] == "LIBRARY"
    assert cpp["externalRefs"] == [
        {
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": "pkg:deb/debian/cpp@12.2.0-3?arch=amd64&distro=debian-12&epoch=4",
        }
    ]
    assert cpp["sourceInfo"] == (
        "layer 1 (sha256:" + "2" * 64 + ", base) created by: RUN /bin/sh -c apt-get update && "
        "apt-get install -y cpp # buildkit; found in /var/lib/dpkg/status by dpkg; "
        "source package gcc-defaults 1.203"
    )
    gem = package(doc, "naïve-✓")
    assert SPDX_ID.match(gem["SPDXID"]) and gem["SPDXID"].startswith("SPDXRef-Package-gem-na-ve-")
    assert gem["sourceInfo"].startswith("found in /usr/lib/ruby/gems")


def test_relationships(inventory: Inventory) -> None:
    doc = load(inventory)
    rels = doc["relationships"]
    assert rels[0] == {
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Image",
    }
    contained = {r["relatedSpdxElement"] for r in rels[1:] if r["relationshipType"] == "CONTAINS"}
    assert contained == {p["SPDXID"] for p in doc["packages"]} - {"SPDXRef-Image"}
    assert all(r["spdxElementId"] == "SPDXRef-Image" for r in rels[1:])


def test_licenses(inventory: Inventory) -> None:
    doc = load(inventory)
    assert package(doc, "libc6")["licenseDeclared"] == "LGPL-2.1 AND GPL-2.0-or-later"
    assert package(doc, "requests")["licenseDeclared"] == "Apache-2.0"
    assert package(doc, "left-pad")["licenseDeclared"] == "WTFPL OR MIT"
    assert package(doc, "naïve-✓")["licenseDeclared"] == (
        "Ruby AND (GPL-2.0+ WITH Classpath-exception-2.0)"
    )
    cpp = package(doc, "cpp")["licenseDeclared"]
    assert re.fullmatch(r"LicenseRef-GPL-2-[0-9a-f]{12}", cpp)
    go = package(doc, "golang.org/x/text")["licenseDeclared"]
    assert go.startswith("BSD-3-Clause AND LicenseRef-Copyright-c-2009-The-Go-Authors.")
    assert all(p["licenseConcluded"] == "NOASSERTION" for p in doc["packages"])
    declared = {e["licenseId"]: e for e in doc["hasExtractedLicensingInfos"]}
    used = set(re.findall(r"LicenseRef-[A-Za-z0-9.-]+", json.dumps(doc["packages"])))
    assert used == set(declared)
    assert declared[cpp]["extractedText"] == "GPL-2+"
    assert declared[go.split(" AND ")[1]]["name"] == "Copyright (c) 2009 The Go Authors."


def test_no_secret_reaches_the_document(inventory: Inventory) -> None:
    text = get_sbom_writer("spdx-json").write(inventory, fixed_options())
    for secret in SECRETS:
        assert secret not in text


def test_a_purl_with_spaces_is_not_a_locator() -> None:
    pkg = Package("odd", "1", "npm", "pkg:npm/odd thing@1", "npm-pkg", "/x/package.json")
    doc = load(dataclasses.replace(INVENTORY, packages=(pkg,)))
    assert "externalRefs" not in package(doc, "odd")


def test_empty_inventory() -> None:
    doc = load(dataclasses.replace(INVENTORY, packages=(), os=None, notes=()))
    assert [p["SPDXID"] for p in doc["packages"]] == ["SPDXRef-Image"]
    assert "hasExtractedLicensingInfos" not in doc and "comment" not in doc


def test_the_validator_bites(inventory: Inventory) -> None:
    doc = load(inventory)
    del doc["packages"][2]["downloadLocation"]
    with pytest.raises(jsonschema.ValidationError):
        SPDX.validate(doc)
