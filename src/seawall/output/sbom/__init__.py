"""Inventory writers (SBOMs) and the image inspection view: one module per format.

Writers format a ``seawall.model.inventory.Inventory`` (or an ``ImageInfo`` for
``seawall image inspect``); they never compute packages, read the clock or make up IDs on
their own (``SbomOptions`` carries the tool version, an ID factory and a clock) and never do
I/O. Every writer is listed explicitly in ``SBOM_WRITERS`` or ``INSPECT_WRITERS``, both
validated by ``seawall.output.base.Catalogue``.

Public API for commands::

    options = SbomOptions(tool_version=seawall.__version__)
    get_sbom_writer("cyclonedx").write(inventory, options)   # cyclonedx, spdx-json, json, table
    get_inspect_writer("table").write(image_info, options)   # table, json
    inventory_schema_text()                                  # JSON Schema of the json format
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from seawall.model.inventory import ImageInfo, Inventory
from seawall.output.base import Catalogue
from seawall.output.sbom.base import DocWriter, SbomOptions, doc_writer

# Writers are imported when first asked for (the table pulls in rich, the SBOM formats their
# license tables): a warm `seawall image sbom -f json` must start fast. The catalogues below
# are still built from every writer and validated, and a test pins these maps to them.
_SBOM: dict[str, tuple[str, str]] = {
    "table": ("seawall.output.sbom.table", "write_inventory_table"),
    "cyclonedx": ("seawall.output.sbom.cyclonedx", "write_cyclonedx"),
    "spdx-json": ("seawall.output.sbom.spdx", "write_spdx"),
    "json": ("seawall.output.sbom.json", "write_inventory_json"),
}
_INSPECT: dict[str, tuple[str, str]] = {
    "table": ("seawall.output.sbom.inspect", "write_inspect_table"),
    "json": ("seawall.output.sbom.inspect", "write_inspect_json"),
}
_FUNCTIONS = {
    "inspect_document": "seawall.output.sbom.inspect",
    "inventory_document": "seawall.output.sbom.json",
    "inventory_schema": "seawall.output.sbom.json",
    "inventory_schema_text": "seawall.output.sbom.json",
}


def _load(entry: tuple[str, str]) -> Any:
    return getattr(importlib.import_module(entry[0]), entry[1])


@functools.cache
def _sbom_catalogue() -> Catalogue[DocWriter[Inventory]]:
    return Catalogue(tuple(_load(e) for e in _SBOM.values()))


@functools.cache
def _inspect_catalogue() -> Catalogue[DocWriter[ImageInfo]]:
    return Catalogue(tuple(_load(e) for e in _INSPECT.values()))


#: Every inventory format, in the order ``--help`` lists them (the first is the default).
SBOM_WRITERS: Catalogue[DocWriter[Inventory]]
#: The formats of ``seawall image inspect`` (the first is the default).
INSPECT_WRITERS: Catalogue[DocWriter[ImageInfo]]


def __getattr__(name: str) -> Any:
    if name == "SBOM_WRITERS":
        return _sbom_catalogue()
    if name == "INSPECT_WRITERS":
        return _inspect_catalogue()
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(_FUNCTIONS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_sbom_writer(name: str) -> DocWriter[Inventory]:
    """The inventory writer for a ``--format`` value; ``UsageError`` listing the valid names."""
    if name in _SBOM:
        writer: DocWriter[Inventory] = _load(_SBOM[name])
        return writer
    return _sbom_catalogue().get(name)


def get_inspect_writer(name: str) -> DocWriter[ImageInfo]:
    """The ``image inspect`` writer for a ``--format`` value; ``UsageError`` otherwise."""
    if name in _INSPECT:
        writer: DocWriter[ImageInfo] = _load(_INSPECT[name])
        return writer
    return _inspect_catalogue().get(name)


__all__ = [
    "INSPECT_WRITERS",
    "SBOM_WRITERS",
    "DocWriter",
    "SbomOptions",
    "doc_writer",
    "get_inspect_writer",
    "get_sbom_writer",
    "inspect_document",
    "inventory_document",
    "inventory_schema",
    "inventory_schema_text",
]
