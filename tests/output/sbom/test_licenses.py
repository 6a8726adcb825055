"""License strings -> SPDX identifiers and expressions (SPDX 2.3 Annex D), strictly."""

from __future__ import annotations

import json

import pytest

from seawall.output.sbom.licenses import (
    cyclonedx_licenses,
    license_id,
    license_ref,
    parse_expression,
    spdx_expression,
    spdx_ids,
)
from tests.output.sbom.validators import load_schema


def test_id_list_is_the_cyclonedx_enumeration() -> None:
    ids = spdx_ids()
    enum = load_schema("spdx.schema.json")["enum"]
    assert set(ids.licenses.values()) | set(ids.exceptions.values()) == set(enum)
    assert "Classpath-exception-2.0" in ids.exceptions.values()
    assert "MIT" in ids.licenses.values() and "MIT" not in ids.exceptions.values()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mit", "MIT"),
        (" Apache-2.0 ", "Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0+"),
        ("MIT License", None),
        ("GPL-2+", None),
        ("", None),
    ],
)
def test_license_id(text: str, expected: str | None) -> None:
    assert license_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT", ("MIT", False)),
        ("(mit)", ("MIT", False)),
        ("MIT or apache-2.0", ("MIT OR Apache-2.0", True)),
        ("(MIT OR Apache-2.0) AND BSD-3-Clause", ("(MIT OR Apache-2.0) AND BSD-3-Clause", True)),
        ("MIT OR Apache-2.0 AND Zlib", ("MIT OR Apache-2.0 AND Zlib", True)),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ),
        ("Apache-2.0+", ("Apache-2.0+", True)),
    ],
)
def test_valid_expressions(text: str, expected: tuple[str, bool]) -> None:
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "MIT OR",
        "OR MIT",
        "(MIT",
        "MIT)",
        "MIT AND AND ISC",
        "MIT WITH MIT",
        "MIT WITH",
        "(MIT OR ISC) WITH Classpath-exception-2.0",
        "LicenseRef-foo",
        "DocumentRef-a:LicenseRef-b",
        "MIT ISC",
        "BSD",
        "Apache 2.0",
        "+",
        "(" * 40 + "MIT" + ")" * 40,
        "MIT OR " * 400 + "MIT",
    ],
)
def test_invalid_expressions(text: str) -> None:
    assert parse_expression(text) is None


def test_cyclonedx_choices() -> None:
    assert cyclonedx_licenses(()) is None
    assert cyclonedx_licenses(("MIT", "mit", " ")) == [{"license": {"id": "MIT"}}]
    assert cyclonedx_licenses(("MIT OR ISC", "Zlib")) == [{"expression": "(MIT OR ISC) AND Zlib"}]
    assert cyclonedx_licenses(("MIT", "Custom")) == [
        {"license": {"id": "MIT"}},
        {"license": {"name": "Custom"}},
    ]
    assert cyclonedx_licenses(("MIT OR ISC", "Custom")) == [
        {"license": {"name": "MIT OR ISC"}},
        {"license": {"name": "Custom"}},
    ]


def test_spdx_expression_declares_free_text() -> None:
    refs: dict[str, str] = {}
    assert spdx_expression((), refs) == "NOASSERTION"
    expression = spdx_expression(("MIT OR ISC", "My License ✓", "Zlib"), refs)
    ref = license_ref("My License ✓")
    assert expression == f"(MIT OR ISC) AND {ref} AND Zlib"
    assert refs == {ref: "My License ✓"}
    assert ref.startswith("LicenseRef-My-License-") and license_ref("My License ✓") == ref
    assert license_ref("✓✓").startswith("LicenseRef-") and "✓" not in license_ref("✓✓")
    json.dumps(refs)
