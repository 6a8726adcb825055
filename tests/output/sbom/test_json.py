"""The inventory json writer: valid against its shipped JSON Schema, complete and ordered."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema

from seawall.model.inventory import Inventory
from seawall.output.sbom import (
    get_sbom_writer,
    inventory_document,
    inventory_schema,
    inventory_schema_text,
)
from tests.output.sbom.conftest import INVENTORY, SECRETS, fixed_options
from tests.output.sbom.validators import INVENTORY as VALIDATOR


def load(inventory: Inventory) -> dict[str, Any]:
    """Write ``inventory`` as JSON, validate it against the schema and parse it."""
    doc: dict[str, Any] = json.loads(get_sbom_writer("json").write(inventory, fixed_options()))
    VALIDATOR.validate(doc)
    return doc


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = inventory_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == "1.0"
    assert json.loads(inventory_schema_text()) == schema


def test_document(inventory: Inventory) -> None:
    doc = load(inventory)
    assert list(doc) == [
        "schema_version",
        "tool",
        "generated_at",
        "image",
        "os",
        "summary",
        "packages",
        "notes",
    ]
    assert doc["tool"] == {"name": "seawall", "version": "0.1.0"}
    assert doc["summary"] == {
        "packages": 8,
        "ecosystems": {"deb": 2, "gem": 1, "golang": 1, "npm": 1, "pypi": 3},
        "origin": {"base": 2, "own": 2, "unknown": 4},
    }
    assert [layer["base"] for layer in doc["image"]["layers"]] == ["base", "base", "own", "unknown"]
    assert doc["os"]["codename"] == "bookworm"
    names = [(p["ecosystem"], p["name"]) for p in doc["packages"]]
    assert names == sorted(names)
    cpp = next(p for p in doc["packages"] if p["name"] == "cpp")
    assert cpp["epoch"] == 4
    assert cpp["layer"] == {"index": 1, "diff_id": "sha256:" + "2" * 64, "base": "base"}
    go = next(p for p in doc["packages"] if p["ecosystem"] == "golang")
    assert go["properties"][0] == {"name": "go.toolchain", "value": "go1.21.5"}
    gem = next(p for p in doc["packages"] if p["ecosystem"] == "gem")
    assert gem["layer"] is None
    assert doc["notes"] == ["/dev/sda: device file skipped"]


def test_matches_the_document_function(inventory: Inventory) -> None:
    assert load(inventory) == inventory_document(inventory, fixed_options())


def test_no_secret(inventory: Inventory) -> None:
    text = get_sbom_writer("json").write(inventory, fixed_options())
    assert all(secret not in text for secret in SECRETS)


def test_minimal_inventory() -> None:
    bare = dataclasses.replace(
        INVENTORY,
        image=dataclasses.replace(INVENTORY.image, layers=(), digest=None, base_image=None),
        packages=(),
        os=None,
        notes=(),
        generated_at="",
    )
    doc = load(bare)
    assert doc["os"] is None
    assert doc["summary"]["origin"] == {"base": 0, "own": 0, "unknown": 0}
