"""The cyclonedx writer: valid CycloneDX 1.6 (offline, official schema) and faithful."""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

import pytest

from seawall.model.inventory import Inventory, Package
from seawall.output.sbom import SbomOptions, get_sbom_writer
from tests.output.sbom.conftest import FIXED_UUID, INVENTORY, SECRETS, fixed_options
from tests.output.sbom.validators import CYCLONEDX


def load(inventory: Inventory, options: SbomOptions | None = None) -> dict[str, Any]:
    """Write ``inventory`` as CycloneDX, validate it against the official schema and parse it."""
    text = get_sbom_writer("cyclonedx").write(inventory, options or fixed_options())
    doc: dict[str, Any] = json.loads(text)
    CYCLONEDX.validate(doc)
    return doc


def components(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The components called ``name``."""
    return [c for c in doc["components"] if c["name"] == name]


def props(component: dict[str, Any]) -> dict[str, list[str]]:
    """A component's properties as name -> values."""
    out: dict[str, list[str]] = {}
    for p in component.get("properties", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


def test_header(inventory: Inventory) -> None:
    doc = load(inventory)
    assert doc["bomFormat"] == "CycloneDX"
    assert doc["specVersion"] == "1.6"
    assert doc["serialNumber"] == f"urn:uuid:{FIXED_UUID}"
    assert doc["version"] == 1
    meta = doc["metadata"]
    assert meta["timestamp"] == "2024-05-01T12:00:00Z"
    assert meta["tools"] == {
        "components": [{"type": "application", "name": "seawall", "version": "0.1.0"}]
    }
    assert props(meta) == {"seawall:note": ["/dev/sda: device file skipped"]}


def test_serial_comes_from_the_id_factory(inventory: Inventory) -> None:
    ids = iter([uuid.UUID(int=1), uuid.UUID(int=2)])
    options = fixed_options(id_factory=lambda: next(ids))
    first, second = load(inventory, options), load(inventory, options)
    assert first["serialNumber"] != second["serialNumber"]
    assert first["serialNumber"] == "urn:uuid:00000000-0000-0000-0000-000000000001"


@pytest.mark.parametrize("generated_at", ["", "not a date", "2024-05-01T14:00:00+02:00"])
def test_timestamp_is_utc_and_falls_back_to_the_clock(generated_at: str) -> None:
    doc = load(dataclasses.replace(INVENTORY, generated_at=generated_at))
    expected = "2024-05-01T12:00:00Z" if generated_at.startswith("2024") else "2024-05-01T12:30:00Z"
    assert doc["metadata"]["timestamp"] == expected


def test_image_is_the_container_component(inventory: Inventory) -> None:
    image = load(inventory)["metadata"]["component"]
    assert image["type"] == "container"
    assert image["name"] == "registry.example.com/team/app:1.4"
    assert image["version"] == "sha256:" + "e" * 64
    p = props(image)
    assert p["seawall:image:id"] == ["sha256:" + "d" * 64]
    assert p["seawall:image:tag"] == ["registry.example.com/team/app:1.4", "app:latest"]
    assert [p[f"seawall:layer:{i}:base"][0] for i in range(4)] == ["base", "base", "own", "unknown"]
    assert p["seawall:layer:2:diff_id"] == ["sha256:" + "3" * 64]
    assert "seawall:layer:3:digest" not in p and "seawall:layer:3:size" not in p


def test_components(inventory: Inventory) -> None:
    doc = load(inventory)
    (os,) = [c for c in doc["components"] if c["type"] == "operating-system"]
    assert (os["name"], os["version"], os["description"]) == (
        "debian",
        "12",
        "Debian GNU/Linux 12 (bookworm)",
    )
    libs = [c for c in doc["components"] if c["type"] == "library"]
    assert len(libs) == len(inventory.packages)
    refs = [c["bom-ref"] for c in doc["components"]]
    assert len(set(refs)) == len(refs)
    (cpp,) = components(doc, "cpp")
    assert cpp["purl"] == "pkg:deb/debian/cpp@12.2.0-3?arch=amd64&distro=debian-12&epoch=4"
    assert cpp["bom-ref"] == cpp["purl"]
    p = props(cpp)
    assert p["seawall:path"] == ["/var/lib/dpkg/status"]
    assert p["seawall:analyzer"] == ["dpkg"]
    assert p["seawall:layer:index"] == ["1"]
    assert p["seawall:layer:base"] == ["base"]
    assert p["seawall:source_name"] == ["gcc-defaults"]
    assert p["seawall:source_version"] == ["1.203"]
    assert p["seawall:epoch"] == ["4"]
    assert "apt-get install -y cpp" in p["seawall:layer:created_by"][0]
    assert "seawall:ecosystem" not in p
    (go,) = components(doc, "golang.org/x/text")
    assert props(go)["seawall:go.toolchain"] == ["go1.21.5"]
    (gem,) = components(doc, "naïve-✓")
    assert not any(k.startswith("seawall:layer:") for k in props(gem))


def test_same_purl_in_two_places_gets_two_refs(inventory: Inventory) -> None:
    six = components(load(inventory), "six")
    assert len(six) == 2
    assert {c["purl"] for c in six} == {"pkg:pypi/six@1.16.0"}
    assert sorted(c["bom-ref"] for c in six) == [
        "pkg:pypi/six@1.16.0?seawall-path=/opt/venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
        "pkg:pypi/six@1.16.0?seawall-path=/usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
    ]


def test_exact_duplicates_still_get_unique_refs(inventory: Inventory) -> None:
    pkg = inventory.packages[0]
    doc = load(dataclasses.replace(inventory, packages=(pkg, pkg, pkg)))
    refs = [c["bom-ref"] for c in doc["components"]]
    assert len(set(refs)) == len(refs) == 4


def test_licenses(inventory: Inventory) -> None:
    doc = load(inventory)

    def licenses(name: str) -> list[dict[str, Any]]:
        (component,) = components(doc, name)
        return component["licenses"]

    assert licenses("libc6") == [
        {"license": {"id": "LGPL-2.1"}},
        {"license": {"id": "GPL-2.0-or-later"}},
    ]
    assert licenses("requests") == [{"license": {"id": "Apache-2.0"}}]
    assert licenses("cpp") == [{"license": {"name": "GPL-2+"}}]
    assert licenses("left-pad") == [{"expression": "WTFPL OR MIT"}]
    assert licenses("naïve-✓") == [
        {"expression": "Ruby AND (GPL-2.0+ WITH Classpath-exception-2.0)"}
    ]
    assert licenses("golang.org/x/text") == [
        {"license": {"id": "BSD-3-Clause"}},
        {"license": {"name": "Copyright (c) 2009 The Go Authors.\nAll rights reserved."}},
    ]


def test_image_depends_on_every_component(inventory: Inventory) -> None:
    doc = load(inventory)
    assert doc["dependencies"] == [
        {"ref": "seawall:image", "dependsOn": [c["bom-ref"] for c in doc["components"]]}
    ]


def test_no_secret_reaches_the_bom(inventory: Inventory) -> None:
    text = get_sbom_writer("cyclonedx").write(inventory, fixed_options())
    for secret in SECRETS:
        assert secret not in text
    assert "https://deploy:****@git.example.com/app.tgz" in text


def test_ecosystem_is_said_when_the_purl_cannot_say_it() -> None:
    pkg = Package("thing", "1", "generic", "", "custom", "/opt/thing")
    doc = load(dataclasses.replace(INVENTORY, packages=(pkg,), os=None))
    (c,) = doc["components"]
    assert c["bom-ref"] == "seawall:package:generic/thing@1"
    assert "purl" not in c
    assert props(c)["seawall:ecosystem"] == ["generic"]


def test_overlong_versions_are_clipped_to_the_schema_limit() -> None:
    pkg = Package("big", "9" * 5000, "npm", "pkg:npm/big@9", "npm-pkg", "/big/package.json")
    doc = load(dataclasses.replace(INVENTORY, packages=(pkg,)))
    version = components(doc, "big")[0]["version"]
    assert len(version) == 1024 and version.endswith("…")


def test_empty_inventory() -> None:
    empty = dataclasses.replace(INVENTORY, packages=(), os=None, notes=())
    doc = load(empty)
    assert doc["components"] == []
    assert doc["dependencies"] == [{"ref": "seawall:image", "dependsOn": []}]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("components", 0, "type"), "bogus"),
        (("components", 2, "licenses", 0, "license", "id"), "Not-A-License"),
        (("metadata", "timestamp"), "yesterday"),
        (("serialNumber",), "12345"),
        (("metadata", "component", "properties", 0, "value"), 5),
    ],
)
def test_the_validator_bites(inventory: Inventory, path: tuple[Any, ...], value: object) -> None:
    import jsonschema

    doc = load(inventory)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        CYCLONEDX.validate(doc)
