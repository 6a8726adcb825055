"""Offline validators for the SBOM formats, from the official schemas kept in tests/schemas.

Every ``$ref`` of the CycloneDX schema resolves through a ``referencing.Registry`` that maps
each schema's ``$id`` to its local copy; retrieving anything else fails loudly instead of
reaching the network. ``unresolved_refs`` lists any ``$ref`` the registry cannot resolve.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT7, DRAFT201909

from seawall.output.sbom import inventory_schema

SCHEMAS = Path(__file__).parents[2] / "schemas"
CYCLONEDX_FILES = ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json")
SPDX_FILE = "spdx-schema.json"


def load_schema(name: str) -> dict[str, Any]:
    """One schema file of tests/schemas, parsed."""
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return schema


def _refuse(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # offline: nothing outside tests/schemas is ever fetched


def _registry() -> Registry[Any]:
    resources = [
        (schema["$id"], DRAFT7.create_resource(schema))
        for schema in (load_schema(name) for name in CYCLONEDX_FILES)
    ]
    spdx = load_schema(SPDX_FILE)
    resources.append((spdx["$id"], DRAFT201909.create_resource(spdx)))
    registry: Registry[Any] = Registry(retrieve=_refuse)
    return registry.with_resources(resources)


REGISTRY = _registry()
CHECKER = jsonschema.FormatChecker()
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@CHECKER.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    # jsonschema checks date-time only with an optional extra; check RFC 3339 here.
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


CYCLONEDX = jsonschema.Draft7Validator(
    load_schema(CYCLONEDX_FILES[0]), registry=REGISTRY, format_checker=CHECKER
)
SPDX = jsonschema.Draft201909Validator(
    load_schema(SPDX_FILE), registry=REGISTRY, format_checker=CHECKER
)
INVENTORY = jsonschema.Draft202012Validator(inventory_schema(), format_checker=CHECKER)


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def unresolved_refs() -> list[str]:
    """Every ``$ref`` in the kept schemas that the offline registry cannot resolve."""
    missing: list[str] = []
    for name in (*CYCLONEDX_FILES, SPDX_FILE):
        schema = load_schema(name)
        resolver = REGISTRY.resolver(base_uri=schema["$id"])
        for ref in sorted(set(_refs(schema))):
            try:
                resolver.lookup(ref)
            except Unresolvable:
                missing.append(f"{name}: {ref}")
    return missing


def all_refs() -> list[str]:
    """Every distinct ``$ref`` of the kept schemas (to prove the walk sees the external ones)."""
    return sorted(
        {ref for name in (*CYCLONEDX_FILES, SPDX_FILE) for ref in _refs(load_schema(name))}
    )
