"""Unit tests of the Python analyzers (python-pkg, python-lock): parsing details and paths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import python_lock, python_pkg
from seawall.inventory.analyzers.python_lock import logical_lines, parse_requirement
from seawall.inventory.analyzers.python_pkg import licenses_of, parse_headers, pep503
from tests.inventory._fixtures import bytes_input

SITE = "/usr/lib/python3/dist-packages"


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Foo_Bar", "foo-bar"),
        ("zope.interface", "zope-interface"),
        ("a-_.b", "a-b"),
        ("PyYAML", "pyyaml"),
    ],
)
def test_pep503(name: str, normalised: str) -> None:
    assert pep503(name) == normalised


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        (f"{SITE}/six-1.16.0.dist-info/METADATA", True),
        ("/opt/venv/lib/python3.12/site-packages/x-1.dist-info/METADATA", True),
        (f"{SITE}/crcmod-1.7.egg-info/PKG-INFO", True),
        (f"{SITE}/crit-3.17.1-py3.11.egg-info", True),
        ("/usr/lib/python3.11/site-packages/Foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO", True),
        ("/srv/wheels/bar-1.0.dist-info/METADATA", False),  # not installed
        (f"{SITE}/six-1.16.0.dist-info/RECORD", False),
        (f"{SITE}/pkg/METADATA", False),
        (f"{SITE}/pkg/PKG-INFO", False),
        ("/src/project/PKG-INFO", False),
    ],
)
def test_python_pkg_required(path: str, wanted: bool) -> None:
    assert python_pkg.analyze.required(path) is wanted


def test_headers_stop_at_the_body_and_join_continuations() -> None:
    text = "Name: a\nLicense: line one\n        line two\n\nName: body\n"
    assert parse_headers(text) == [("name", "a"), ("license", "line one\nline two")]


def test_first_name_wins_and_long_license_falls_back_to_classifiers() -> None:
    data = (
        b"Metadata-Version: 2.1\nName: first\nName: second\nVersion: 1.0\n"
        b"License: The whole license\n        text pasted here\n"
        b"Classifier: License :: OSI Approved :: Apache Software License\n\n"
    )
    found = python_pkg.analyze.analyze(bytes_input(f"{SITE}/first-1.0.dist-info/METADATA", data))
    (pkg,) = found.packages
    assert (pkg.name, pkg.version, pkg.licenses) == ("first", "1.0", ("Apache Software License",))
    assert pkg.purl == "pkg:pypi/first@1.0"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("license-expression", "MIT OR Apache-2.0"), ("license", "MIT")], ("MIT OR Apache-2.0",)),
        ([("license", "UNKNOWN"), ("classifier", "License :: Public Domain")], ("Public Domain",)),
        ([("classifier", "License :: OSI Approved")], ()),
        ([("license", "x" * 500)], ()),
    ],
)
def test_license_precedence(headers: list[tuple[str, str]], expected: tuple[str, ...]) -> None:
    assert licenses_of(headers) == expected


def test_metadata_without_version_is_a_note() -> None:
    found = python_pkg.analyze.analyze(bytes_input(f"{SITE}/x.dist-info/METADATA", b"Name: x\n\n"))
    assert found.packages == ()
    assert found.notes and "no usable Name and Version" in found.notes[0]


def test_latin1_free_text_still_parses_but_bad_name_bytes_do_not() -> None:
    ok = python_pkg.analyze.analyze(
        bytes_input(f"{SITE}/a.egg-info", b"Name: a\nVersion: 1\nAuthor: Ren\xe9\n")
    )
    assert [p.name for p in ok.packages] == ["a"]
    bad = python_pkg.analyze.analyze(
        bytes_input(f"{SITE}/b.egg-info", b"Name: b\xff\nVersion: 1\n")
    )
    assert bad.packages == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("requests==2.31.0", ("requests", "2.31.0")),
        ("requests [socks] == 2.31.0 ; python_version > '3'", ("requests", "2.31.0")),
        ("urllib3===2.2.1", ("urllib3", "2.2.1")),
        ("certifi==2024.2.2 --hash=sha256:abc --hash=sha256:def", ("certifi", "2024.2.2")),
        ("flask>=2.0", None),
        ("numpy", None),
        ("gunicorn==21.*", None),
        ("uvicorn==0.29.0,<1", None),
        ("pyyaml==${VERSION}", None),
        ("pkg @ https://example.org/pkg-1.0.tar.gz", None),
    ],
)
def test_parse_requirement(line: str, expected: tuple[str, str] | None) -> None:
    assert parse_requirement(line) == expected


def test_logical_lines() -> None:
    text = "# header\na==1 \\\n  --hash=sha256:x # why\n\nurl#frag\nb==2  # trailing\n"
    assert logical_lines(text) == ["a==1    --hash=sha256:x", "url#frag", "b==2"]


def test_includes_are_noted_not_followed() -> None:
    found = python_lock.analyze.analyze(
        bytes_input("/app/requirements.txt", b"-r base.txt\n-c constraints.txt\nx==1\n")
    )
    assert [p.name for p in found.packages] == ["x"]
    assert len(found.notes) == 2
    assert all("not followed" in n for n in found.notes)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("/app/requirements.txt", True),
        ("/app/requirements-dev.txt", True),
        ("/app/requirements/base.txt", False),
        ("/app/dev-requirements.txt", False),
        ("/app/Pipfile.lock", True),
        ("/app/Pipfile", False),
        ("/app/poetry.lock", True),
        ("/app/uv.lock", True),
        (f"{SITE}/demo/requirements.txt", False),
        ("/app/node_modules/x/requirements.txt", False),
        ("/usr/share/doc/python3-pip/requirements.txt", False),
    ],
)
def test_python_lock_required(path: str, wanted: bool) -> None:
    assert python_lock.analyze.required(path) is wanted


def test_pipfile_lock_that_is_not_an_object_yields_nothing() -> None:
    assert python_lock.analyze.analyze(bytes_input("/a/Pipfile.lock", b"[1, 2]")).packages == ()


def test_poetry_lock_bad_toml_is_an_error() -> None:
    with pytest.raises(AnalyzerError, match=r"/a/poetry\.lock: invalid TOML"):
        python_lock.analyze.analyze(bytes_input("/a/poetry.lock", b"[[package]\nname = "))


def test_uv_lock_keeps_packages_pinned_by_version_in_dev_and_prod() -> None:
    doc = b"""version = 1
[[package]]
name = "app"
version = "0"
source = { virtual = "." }
dependencies = [{ name = "lib", version = "2.0" }]
[package.dev-dependencies]
dev = [{ name = "lib", version = "1.0" }]
[[package]]
name = "lib"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "lib"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
"""
    found = python_lock.analyze.analyze(bytes_input("/a/uv.lock", doc))
    assert [(p.name, p.version) for p in found.packages] == [("lib", "2.0")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_requirements_never_crash(text: str) -> None:
    for line in logical_lines(text):
        result = parse_requirement(line)
        assert result is None or all(result)
