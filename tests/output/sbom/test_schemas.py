"""The official schemas kept offline: the published files, complete, every $ref resolved locally."""

from __future__ import annotations

import hashlib

import jsonschema
import pytest
from referencing.exceptions import Unresolvable

from tests.output.sbom.validators import (
    CYCLONEDX_FILES,
    REGISTRY,
    SCHEMAS,
    SPDX_FILE,
    all_refs,
    load_schema,
    unresolved_refs,
)

# Byte counts and SHA-256 of the copies as fetched (see tests/schemas/README.md); a changed
# file must come from the official source again, never be edited.
PUBLISHED = {
    "bom-1.6.schema.json": 262592,
    "spdx.schema.json": 9451,
    "jsf-0.82.schema.json": 10946,
    "spdx-schema.json": 45964,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_copies_are_the_published_files(name: str) -> None:
    data = (SCHEMAS / name).read_bytes()
    assert len(data) == PUBLISHED[name]
    assert hashlib.sha256(data).hexdigest() in (SCHEMAS / "SHA256SUMS").read_text()


def test_schema_identities() -> None:
    ids = {name: load_schema(name)["$id"] for name in (*CYCLONEDX_FILES, SPDX_FILE)}
    assert ids == {
        "bom-1.6.schema.json": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "spdx.schema.json": "http://cyclonedx.org/schema/spdx.schema.json",
        "jsf-0.82.schema.json": "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        "spdx-schema.json": "http://spdx.org/rdf/terms/2.3",
    }
    assert load_schema(SPDX_FILE)["title"] == "SPDX 2.3"
    for name in CYCLONEDX_FILES:
        jsonschema.Draft7Validator.check_schema(load_schema(name))
    jsonschema.Draft201909Validator.check_schema(load_schema(SPDX_FILE))


def test_every_ref_resolves_offline() -> None:
    assert unresolved_refs() == []
    # The walk really sees the cross-file references the registry has to serve.
    refs = all_refs()
    assert "spdx.schema.json" in refs
    assert "jsf-0.82.schema.json#/definitions/signature" in refs


def test_anything_else_is_never_fetched() -> None:
    resolver = REGISTRY.resolver(base_uri="http://cyclonedx.org/schema/bom-1.6.schema.json")
    with pytest.raises(Unresolvable):
        resolver.lookup("ext-1.0.schema.json")
    with pytest.raises(Unresolvable):
        resolver.lookup("https://example.com/schema.json")
