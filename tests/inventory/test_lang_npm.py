"""Unit tests of the npm-family analyzers (npm-pkg, npm-lock, yarn-lock, pnpm-lock)."""

from __future__ import annotations

import json

import pytest

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import npm_lock, npm_pkg, pnpm_lock, yarn_lock
from seawall.inventory.analyzers._npm import npm_purl, split_at_version
from seawall.inventory.analyzers.pnpm_lock import name_version
from tests.inventory._fixtures import bytes_input


@pytest.mark.parametrize(
    ("name", "purl"),
    [
        ("is-number", "pkg:npm/is-number@7.0.0"),
        ("@tootallnate/once", "pkg:npm/%40tootallnate/once@7.0.0"),
        ("@scope", None),
        ("@/x", None),
        ("a/b", None),
        ("@s/a/b", None),
    ],
)
def test_npm_purl(name: str, purl: str | None) -> None:
    assert npm_purl(name, "7.0.0") == purl


@pytest.mark.parametrize(
    ("spec", "split"),
    [("a@1", ("a", "1")), ("@s/a@npm:1", ("@s/a", "npm:1")), ("@s/a", None), ("a", None)],
)
def test_split_at_version(spec: str, split: tuple[str, str] | None) -> None:
    assert split_at_version(spec) == split


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("/app/node_modules/is-number/package.json", True),
        ("/app/node_modules/@types/node/package.json", True),
        ("/usr/lib/node_modules/npm/node_modules/abbrev/package.json", True),
        ("/app/node_modules/.pnpm/is-number@7.0.0/node_modules/is-number/package.json", True),
        ("/app/package.json", False),
        ("/app/node_modules/@types/package.json", False),
        ("/app/node_modules/@tootallnate/once/dist/package.json", False),
        ("/app/node_modules/x/lib/package.json", False),
        ("/app/node_modules/.cache/package.json", False),
        ("/node_modules/x/package.json", True),
    ],
)
def test_npm_pkg_required(path: str, wanted: bool) -> None:
    assert npm_pkg.analyze.required(path) is wanted


def test_npm_pkg_alias_reports_the_manifest_name() -> None:
    doc = json.dumps({"name": "strip-ansi", "version": "6.0.1", "license": "MIT"}).encode()
    found = npm_pkg.analyze.analyze(bytes_input("/a/node_modules/strip/package.json", doc))
    assert [(p.name, p.purl, p.licenses) for p in found.packages] == [
        ("strip-ansi", "pkg:npm/strip-ansi@6.0.1", ("MIT",))
    ]


def test_npm_pkg_not_an_object_is_an_error() -> None:
    with pytest.raises(AnalyzerError, match="not a JSON object"):
        npm_pkg.analyze.analyze(bytes_input("/a/node_modules/x/package.json", b"[]"))


def test_npm_pkg_bad_name_is_a_note() -> None:
    doc = json.dumps({"name": "bad name\n", "version": "1.0.0"}).encode()
    found = npm_pkg.analyze.analyze(bytes_input("/a/node_modules/x/package.json", doc))
    assert found.packages == ()
    assert found.notes


def test_npm_lock_v1_depth_is_capped() -> None:
    level: dict[str, object] = {"version": "1.0.0"}
    for _ in range(npm_lock.MAX_V1_DEPTH + 5):
        level = {"version": "1.0.0", "dependencies": {"x": level}}
    doc = json.dumps({"lockfileVersion": 1, "dependencies": {"x": level}}).encode()
    with pytest.raises(AnalyzerError, match="nested deeper"):
        npm_lock.analyze.analyze(bytes_input("/a/package-lock.json", doc))


def test_npm_lock_required() -> None:
    assert npm_lock.analyze.required("/app/package-lock.json")
    assert npm_lock.analyze.required("/app/npm-shrinkwrap.json")
    assert not npm_lock.analyze.required("/app/node_modules/x/package-lock.json")
    assert not npm_lock.analyze.required("/app/node_modules/.package-lock.json")
    assert not npm_lock.analyze.required("/usr/share/doc/node-x/examples/package-lock.json")
    assert not yarn_lock.analyze.required("/usr/share/doc/node-x/yarn.lock")
    assert not pnpm_lock.analyze.required("/usr/share/doc/node-x/pnpm-lock.yaml")


def test_yarn_v1_block_without_version_is_a_note() -> None:
    text = b'# yarn lockfile v1\n\na@^1:\n  resolved "x"\n\nb@^2:\n  version "2.0.0"\n'
    found = yarn_lock.analyze.analyze(bytes_input("/a/yarn.lock", text))
    assert [(p.name, p.version) for p in found.packages] == [("b", "2.0.0")]
    assert len(found.notes) == 1


def test_yarn_berry_must_be_one_mapping() -> None:
    with pytest.raises(AnalyzerError, match="not one YAML mapping"):
        yarn_lock.analyze.analyze(
            bytes_input("/a/yarn.lock", b"__metadata:\n  version: 8\n---\nx: 1\n")
        )


@pytest.mark.parametrize(
    ("key", "major", "expected"),
    [
        ("/is-number/7.0.0", 5, ("is-number", "7.0.0")),
        ("/@babel/core/7.12.3_supports-color@8.1.1", 5, ("@babel/core", "7.12.3")),
        ("/is-number@7.0.0", 6, ("is-number", "7.0.0")),
        ("/@babel/core@7.12.3(supports-color@8.1.1)", 6, ("@babel/core", "7.12.3")),
        ("@babel/core@7.12.3", 9, ("@babel/core", "7.12.3")),
        ("novers", 9, None),
    ],
)
def test_pnpm_name_version(key: str, major: int, expected: tuple[str, str] | None) -> None:
    assert name_version(key, major) == expected


def test_pnpm_unknown_version_is_an_error() -> None:
    with pytest.raises(AnalyzerError, match="unknown pnpm lockfileVersion"):
        pnpm_lock.analyze.analyze(bytes_input("/a/pnpm-lock.yaml", b"packages: {}\n"))


def test_pnpm_reads_the_last_document() -> None:
    text = (
        b"---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\n"
        b"packages:\n  pnpm@9.0.0:\n    resolution: {integrity: x}\n"
        b"---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n"
        b"        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n"
        b"    resolution: {integrity: x}\nsnapshots:\n  a@1.0.0: {}\n"
    )
    found = pnpm_lock.analyze.analyze(bytes_input("/a/pnpm-lock.yaml", text))
    assert [(p.name, p.version) for p in found.packages] == [("a", "1.0.0")]
