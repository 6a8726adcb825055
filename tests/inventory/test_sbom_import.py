"""``--sbom FILE``: CycloneDX JSON back into an Inventory; hostile files give one clear error."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from seawall.inventory import sbom_import
from seawall.inventory.sbom_import import SbomError, parse_cyclonedx, read_cyclonedx
from seawall.model.inventory import Inventory
from seawall.model.redact import redact_text
from seawall.output.sbom import get_sbom_writer
from tests.output.sbom.conftest import INVENTORY, fixed_options


def package_set(inventory: Inventory) -> set[tuple[str, str, str, str]]:
    """What a round trip must keep: name, version, purl and path of every package."""
    return {(p.name, p.version, p.purl, p.path) for p in inventory.packages}


def write_bom(tmp_path: Path, document: Any, name: str = "bom.cdx.json") -> Path:
    """``document`` (JSON-able, or bytes as-is) written to a file."""
    path = tmp_path / name
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
    return path


def bom(components: list[Any], **extra: Any) -> dict[str, Any]:
    """A minimal CycloneDX 1.6 document."""
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components, **extra}


def test_round_trip_keeps_every_package(tmp_path: Path) -> None:
    text = get_sbom_writer("cyclonedx").write(INVENTORY, fixed_options())
    back = read_cyclonedx(write_bom(tmp_path, text.encode("utf-8")))
    assert package_set(back) == package_set(INVENTORY)
    assert len(back.packages) == len(INVENTORY.packages)


def test_round_trip_keeps_the_details(tmp_path: Path) -> None:
    text = get_sbom_writer("cyclonedx").write(INVENTORY, fixed_options())
    back = read_cyclonedx(write_bom(tmp_path, text.encode("utf-8")))
    by_key = {p.key: p for p in back.packages}
    for original in INVENTORY.packages:
        pkg = by_key[original.key]
        assert (pkg.ecosystem, pkg.analyzer, pkg.source_name, pkg.epoch, pkg.arch) == (
            original.ecosystem,
            original.analyzer,
            original.source_name,
            original.epoch,
            original.arch,
        )
        assert pkg.properties == original.properties
        assert (pkg.layer is None) == (original.layer is None)
        if original.layer is not None and pkg.layer is not None:
            # Equal but for the instruction, which the BOM carries redacted.
            assert pkg.layer == dataclasses.replace(
                original.layer, created_by=redact_text(original.layer.created_by)
            )
    cpp = next(p for p in back.packages if p.name == "cpp")
    assert cpp.licenses == ("GPL-2+",) and cpp.source_version == "1.203"
    assert back.os is not None and (back.os.id, back.os.version_id) == ("debian", "12")
    image = back.image
    assert image.ref == INVENTORY.image.ref
    assert (image.id, image.digest, image.tags) == (
        INVENTORY.image.id,
        INVENTORY.image.digest,
        INVENTORY.image.tags,
    )
    assert [layer.diff_id for layer in image.layers] == [x.diff_id for x in INVENTORY.image.layers]
    assert back.generated_at == "2024-05-01T12:00:00Z"
    assert image.source == "sbom"


def test_a_foreign_bom(tmp_path: Path) -> None:
    """The shapes Trivy and Syft write: groups, their properties, evidence, nested components."""
    document = bom(
        [
            {"type": "operating-system", "name": "alpine", "version": "3.19.1"},
            {
                "type": "library",
                "group": "org.apache.commons",
                "name": "commons-lang3",
                "version": "3.12.0",
                "purl": "pkg:maven/org.apache.commons/commons-lang3@3.12.0",
                "licenses": [{"license": {"name": "Apache License 2.0"}}],
                "properties": [
                    {"name": "aquasecurity:trivy:FilePath", "value": "/app/lib/commons-lang3.jar"},
                    {"name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:" + "2" * 64},
                ],
            },
            {
                "type": "application",
                "name": "/app/package-lock.json",
                "components": [
                    {
                        "type": "library",
                        "group": "@babel",
                        "name": "core",
                        "version": "7.24.0",
                        "purl": "pkg:npm/%40babel/core@7.24.0",
                        "licenses": [{"expression": "MIT"}],
                        "evidence": {
                            "occurrences": [
                                {"location": "/app/node_modules/@babel/core/package.json"}
                            ]
                        },
                    },
                ],
            },
            {"type": "file", "name": "/etc/passwd"},
            {
                "type": "library",
                "name": "musl",
                "version": "1.2.4-r2",
                "purl": "pkg:apk/alpine/musl@1.2.4-r2",
                "properties": [
                    {"name": "aquasecurity:trivy:SrcName", "value": "musl"},
                    {"name": "aquasecurity:trivy:SrcVersion", "value": "1.2.4-r2"},
                ],
            },
        ],
        metadata={
            "timestamp": "2024-05-01T00:00:00+00:00",
            "component": {
                "type": "container",
                "name": "alpine:3.19",
                "properties": [
                    {"name": "aquasecurity:trivy:DiffID", "value": "sha256:" + "1" * 64},
                    {"name": "aquasecurity:trivy:DiffID", "value": "sha256:" + "2" * 64},
                    {"name": "aquasecurity:trivy:ImageID", "value": "sha256:" + "9" * 64},
                ],
            },
        },
    )
    inv = read_cyclonedx(write_bom(tmp_path, document))
    assert inv.os is not None and inv.os.id == "alpine"
    assert inv.image.id == "sha256:" + "9" * 64 and len(inv.image.layers) == 2
    pkgs = {p.name: p for p in inv.packages}
    assert set(pkgs) == {"org.apache.commons:commons-lang3", "@babel/core", "musl"}
    jar = pkgs["org.apache.commons:commons-lang3"]
    assert (jar.ecosystem, jar.path, jar.licenses) == (
        "maven",
        "/app/lib/commons-lang3.jar",
        ("Apache License 2.0",),
    )
    assert jar.layer is not None and jar.layer.index == 1
    assert pkgs["@babel/core"].path == "/app/node_modules/@babel/core/package.json"
    assert pkgs["@babel/core"].licenses == ("MIT",)
    assert pkgs["musl"].source_name == "musl" and pkgs["musl"].analyzer == "sbom"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": NaN}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64"),
        (b'{"a": ' + b"[" * 70 + b"]" * 70 + b"}", "nested deeper than 64"),
        (json.dumps({"bomFormat": "SPDX"}).encode(), "not a CycloneDX BOM"),
        (json.dumps({"bomFormat": "CycloneDX"}).encode(), "specVersion is missing or not a string"),
        (
            json.dumps({"bomFormat": "CycloneDX", "specVersion": "2.0"}).encode(),
            "unsupported CycloneDX specVersion '2.0'",
        ),
        (json.dumps(bom({"a": 1})).encode(), "components is not an array"),
        (json.dumps(bom([1])).encode(), "components[0] is not an object"),
        (
            json.dumps(bom([{"type": "library", "name": 5}])).encode(),
            "components[0].name is not a string",
        ),
        (
            json.dumps(bom([{"type": "library"}])).encode(),
            "components[0].name is missing or not a string",
        ),
        (
            json.dumps(bom([{"name": "x"}])).encode(),
            "components[0].type is missing or not a string",
        ),
        (
            json.dumps(bom([{"type": "library", "name": "x", "version": ["1"]}])).encode(),
            "components[0].version is not a string",
        ),
        (
            json.dumps(bom([{"type": "library", "name": "x", "components": {}}])).encode(),
            "components[0].components is not an array",
        ),
        (
            json.dumps(
                bom(
                    [
                        {
                            "type": "library",
                            "name": "x",
                            "components": [{"type": "library", "name": None}],
                        }
                    ]
                )
            ).encode(),
            "components[0].components[0].name is missing or not a string",
        ),
        (
            json.dumps(
                bom(
                    [
                        {
                            "type": "library",
                            "name": "x",
                            "version": "1",
                            "properties": [{"value": "v"}],
                        }
                    ]
                )
            ).encode(),
            "components[0].properties[0].name is missing or not a string",
        ),
        (
            json.dumps(
                bom(
                    [
                        {
                            "type": "library",
                            "name": "x",
                            "version": "1",
                            "licenses": [{"license": "MIT"}],
                        }
                    ]
                )
            ).encode(),
            "components[0].licenses[0].license is not an object",
        ),
        (json.dumps(bom([], metadata=[])).encode(), "metadata is not an object"),
        (
            json.dumps(bom([], metadata={"component": {"type": "container"}})).encode(),
            "metadata.component.name is missing",
        ),
    ],
)
def test_hostile_files_give_one_line_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = write_bom(tmp_path, content, "evil.cdx.json")
    with pytest.raises(SbomError) as exc:
        read_cyclonedx(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message and len(message) < 300


def test_size_cap(tmp_path: Path) -> None:
    path = write_bom(tmp_path, bom([]))
    with pytest.raises(SbomError, match=r"bytes is over the limit of 10 bytes"):
        read_cyclonedx(path, max_bytes=10)
    assert read_cyclonedx(path, max_bytes=path.stat().st_size).packages == ()


def test_component_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sbom_import, "MAX_COMPONENTS", 3)
    many = [{"type": "library", "name": f"p{i}", "version": "1"} for i in range(4)]
    with pytest.raises(SbomError, match="more than 3 components"):
        read_cyclonedx(write_bom(tmp_path, bom(many)))


def test_deeply_nested_components_within_the_caps(tmp_path: Path) -> None:
    node: dict[str, Any] = {"type": "library", "name": "leaf", "version": "1"}
    for i in range(25):  # 25 components deep is 51 JSON levels
        node = {"type": "library", "name": f"n{i}", "version": "1", "components": [node]}
    inv = read_cyclonedx(write_bom(tmp_path, bom([node])))
    assert len(inv.packages) == 26


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SbomError, match="cannot read"):
        read_cyclonedx(tmp_path / "nope.json")


def test_a_directory_is_not_a_bom(tmp_path: Path) -> None:
    with pytest.raises(SbomError, match="cannot read"):
        read_cyclonedx(tmp_path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "name",
                    "version",
                    "purl",
                    "components",
                    "properties",
                    "licenses",
                    "license",
                    "id",
                    "expression",
                    "value",
                    "group",
                    "evidence",
                    "metadata",
                    "component",
                    "occurrences",
                    "location",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
TYPES = st.sampled_from(["library", "application", "operating-system", "container", "file"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        JSON
        | st.fixed_dictionaries(
            {"type": TYPES, "name": st.text(max_size=3)},
            optional={
                "version": JSON,
                "components": JSON,
                "properties": JSON,
                "licenses": JSON,
                "purl": JSON,
            },
        ),
        max_size=4,
    ),
    JSON,
)
def test_any_structure_gives_an_inventory_or_a_clear_error(
    components: list[Any], metadata: Any
) -> None:
    data = json.dumps(bom(components, metadata=metadata)).encode()
    outcome: Inventory | str
    try:
        outcome = parse_cyclonedx(data, "fuzz.json")
    except SbomError as exc:
        outcome = str(exc)
    assert isinstance(outcome, Inventory) or outcome.startswith("fuzz.json: ")
