"""Property tests: any inventory, with any text in it, gives valid CycloneDX, SPDX and JSON.

Package names, versions, paths, licenses and image metadata come from hostile images, so the
text is drawn from the whole of Unicode plus what breaks formats and terminals (control
characters, lone surrogates, quotes, markup), and some strings are very long.
"""

from __future__ import annotations

import json

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from seawall.model.inventory import HistoryEntry, ImageInfo, Inventory, LayerRef, OSInfo, Package
from seawall.output.sbom import SBOM_WRITERS, get_inspect_writer, get_sbom_writer
from tests.output.sbom.conftest import INVENTORY, fixed_options
from tests.output.sbom.validators import CYCLONEDX, SPDX
from tests.output.sbom.validators import INVENTORY as INVENTORY_VALIDATOR

NASTY = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r",
    "\n",
    "\ud800",
    "\udfff",
    "\uffff",
    "<script>",
    '"',
    "'",
    "\\",
    "[bold]",
    "#",
    "?",
    "&",
    "@",
    "%",
    "/",
    " ",
    "MIT",
    "Apache-2.0",
    " OR ",
    " AND ",
    "(",
    ")",
    "+",
    " WITH ",
    "Classpath-exception-2.0",
    "pkg:npm/",
    "=",
    "PASSWORD",
]
TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=10).map("".join)
LONG = st.integers(1_100, 1_500).map(lambda n: 'ñ"\x01' * n)
ANY_TEXT = TEXT | LONG
LAYERS = st.builds(
    LayerRef,
    st.integers(0, 300),
    TEXT,
    st.none() | TEXT,
    st.none() | st.integers(0, 2**40),
    TEXT,
    ANY_TEXT,
    st.none() | st.booleans(),
)
PACKAGES = st.builds(
    Package,
    name=ANY_TEXT,
    version=ANY_TEXT,
    ecosystem=TEXT,
    purl=TEXT | st.just("pkg:npm/x@1"),
    analyzer=TEXT,
    path=ANY_TEXT,
    source_name=st.none() | TEXT,
    source_version=st.none() | TEXT,
    epoch=st.none() | st.integers(0, 2**31),
    arch=st.none() | TEXT,
    licenses=st.lists(TEXT | st.sampled_from(["MIT", "mit OR isc", "GPL-2.0+"]), max_size=3).map(
        tuple
    ),
    maintainer=st.none() | TEXT,
    layer=st.none() | LAYERS,
    properties=st.lists(st.tuples(TEXT, TEXT), max_size=2).map(tuple),
)
CONFIGS = st.dictionaries(
    st.sampled_from(["User", "Env", "Cmd", "Entrypoint", "Labels", "ExposedPorts", "Volumes", "x"]),
    st.none()
    | TEXT
    | st.lists(TEXT, max_size=3)
    | st.dictionaries(TEXT, TEXT | st.none(), max_size=2),
)
IMAGES = st.builds(
    ImageInfo,
    ref=ANY_TEXT,
    source=TEXT,
    id=TEXT,
    digest=st.none() | TEXT,
    tags=st.lists(TEXT, max_size=2).map(tuple),
    os=TEXT,
    architecture=TEXT,
    created=TEXT,
    layers=st.lists(LAYERS, max_size=3).map(tuple),
    config=CONFIGS,
    base_image=st.none() | TEXT,
    history=st.lists(st.builds(HistoryEntry, TEXT, TEXT, TEXT, st.booleans()), max_size=3).map(
        tuple
    ),
)
INVENTORIES = st.builds(
    Inventory,
    image=IMAGES,
    packages=st.lists(PACKAGES, max_size=6).map(tuple),
    os=st.none() | st.builds(OSInfo, TEXT, TEXT, TEXT, TEXT, TEXT),
    notes=st.lists(TEXT, max_size=2).map(tuple),
    generated_at=TEXT | st.just("2024-05-01T12:00:00Z"),
)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write(fmt: str, inventory: Inventory) -> str:
    """One format's output, checked to be encodable UTF-8 text ending in a newline."""
    out = get_sbom_writer(fmt).write(inventory, fixed_options())
    out.encode("utf-8")
    assert out.endswith("\n")
    return out


@FAST
@given(INVENTORIES)
def test_cyclonedx_always_validates(inventory: Inventory) -> None:
    CYCLONEDX.validate(json.loads(write("cyclonedx", inventory)))


@FAST
@given(INVENTORIES)
def test_spdx_always_validates(inventory: Inventory) -> None:
    doc = json.loads(write("spdx-json", inventory))
    SPDX.validate(doc)
    ids = [p["SPDXID"] for p in doc["packages"]]
    assert len(set(ids)) == len(ids)


@FAST
@given(INVENTORIES)
def test_json_always_validates(inventory: Inventory) -> None:
    INVENTORY_VALIDATOR.validate(json.loads(write("json", inventory)))


@FAST
@given(INVENTORIES)
def test_text_outputs_never_fail_and_stay_inert(inventory: Inventory) -> None:
    for out in (
        write("table", inventory),
        get_inspect_writer("table").write(inventory.image, fixed_options()),
        get_inspect_writer("json").write(inventory.image, fixed_options()),
    ):
        out.encode("utf-8")
        assert "\x1b" not in out and "\x00" not in out


def test_very_long_strings_validate_everywhere() -> None:
    huge = "x." * 50_000
    pkg = Package(huge, huge, "npm", "pkg:npm/" + huge + "@1", huge, "/" + huge, licenses=(huge,))
    inventory = Inventory(
        image=ImageInfo(ref=huge, source="docker", layers=(LayerRef(0, huge, created_by=huge),)),
        packages=(pkg, pkg),
        generated_at=huge,
    )
    CYCLONEDX.validate(json.loads(write("cyclonedx", inventory)))
    SPDX.validate(json.loads(write("spdx-json", inventory)))
    INVENTORY_VALIDATOR.validate(json.loads(write("json", inventory)))
    for name in SBOM_WRITERS.names():
        write(name, inventory)


def test_many_packages_stay_fast() -> None:
    packages = tuple(
        Package(f"p{i}", "1", "npm", f"pkg:npm/p{i % 500}@1", "npm-pkg", f"/app/{i}/package.json")
        for i in range(5_000)
    )
    inventory = Inventory(image=INVENTORY.image, packages=packages)
    doc = json.loads(write("cyclonedx", inventory))
    refs = [c["bom-ref"] for c in doc["components"]]
    assert len(set(refs)) == len(refs) == 5_000
