"""The inventory and inspection catalogues: explicit, validated, and every writer well-behaved."""

from __future__ import annotations

import dataclasses

import pytest

from seawall.errors import RegistryError, UsageError
from seawall.model.inventory import Inventory
from seawall.output import WRITERS
from seawall.output.base import Catalogue
from seawall.output.sbom import (
    INSPECT_WRITERS,
    SBOM_WRITERS,
    DocWriter,
    SbomOptions,
    doc_writer,
    get_inspect_writer,
    get_sbom_writer,
)
from tests.output.sbom.conftest import INVENTORY, fixed_options


def test_catalogues_list_the_formats_in_order() -> None:
    assert SBOM_WRITERS.names() == ("table", "cyclonedx", "spdx-json", "json")
    assert INSPECT_WRITERS.names() == ("table", "json")
    # The audit catalogue is untouched by the generalisation.
    assert WRITERS.names() == ("table", "json", "sarif", "junit", "html")


def test_metadata() -> None:
    media = {w.name: (w.media_type, w.extension) for w in SBOM_WRITERS}
    assert media == {
        "table": ("text/plain", ".txt"),
        "cyclonedx": ("application/vnd.cyclonedx+json", ".cdx.json"),
        "spdx-json": ("application/spdx+json", ".spdx.json"),
        "json": ("application/json", ".json"),
    }
    assert get_sbom_writer("cyclonedx").default_filename() == "seawall-sbom.cdx.json"


@pytest.mark.parametrize("name", ["CycloneDX", " spdx-json ", "TABLE"])
def test_lookup_is_case_insensitive(name: str) -> None:
    assert get_sbom_writer(name).name == name.strip().lower()


def test_unknown_format_lists_the_valid_names() -> None:
    with pytest.raises(UsageError) as exc:
        get_sbom_writer("spdx-tag-value")
    for name in SBOM_WRITERS.names():
        assert name in str(exc.value)
    with pytest.raises(UsageError):
        get_inspect_writer("sarif")


def _fn(inventory: Inventory, options: SbomOptions) -> str:
    return "x\n"


def test_decorator_and_validation() -> None:
    w: DocWriter[Inventory] = doc_writer(
        name="demo", media_type="text/plain", extension=".txt", description="demo"
    )(_fn)
    assert w.write is _fn and "demo" not in SBOM_WRITERS
    with pytest.raises(RegistryError, match="duplicate"):
        Catalogue((w, w))
    with pytest.raises(RegistryError):
        Catalogue((dataclasses.replace(w, name="Bad Name"),))
    with pytest.raises(RegistryError):
        Catalogue((dataclasses.replace(w, extension="txt"),))


def test_options_validate() -> None:
    with pytest.raises(ValueError, match="tool_version"):
        SbomOptions(tool_version=" ")
    with pytest.raises(ValueError, match="terminal_width"):
        SbomOptions(tool_version="1", terminal_width=3)


@pytest.mark.parametrize("name", SBOM_WRITERS.names())
def test_every_sbom_writer_ends_in_a_newline(name: str) -> None:
    out = get_sbom_writer(name).write(INVENTORY, fixed_options())
    assert out.endswith("\n")
    out.encode("utf-8")


@pytest.mark.parametrize("name", INSPECT_WRITERS.names())
def test_every_inspect_writer_ends_in_a_newline(name: str) -> None:
    assert get_inspect_writer(name).write(INVENTORY.image, fixed_options()).endswith("\n")
