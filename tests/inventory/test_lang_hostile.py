"""Hostile input for every language analyzer: garbage, bad encodings, bombs, deep nesting,
absurd sizes. The contract: a ``Found`` or one ``AnalyzerError`` line naming the file — never
another exception, never unbounded time or memory."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import Analyzer, AnalyzerError, Found
from seawall.inventory.analyzers import _formats, _lang, group_lang
from tests.inventory._fixtures import bytes_input
from tests.support.launch import LAUNCHER

#: One path each analyzer wants, per file type it reads.
SAMPLES: dict[str, tuple[str, ...]] = {
    "python-pkg": ("/usr/lib/python3/dist-packages/x-1.dist-info/METADATA",),
    "python-lock": (
        "/app/requirements.txt",
        "/app/Pipfile.lock",
        "/app/poetry.lock",
        "/app/uv.lock",
    ),
    "npm-pkg": ("/app/node_modules/x/package.json",),
    "npm-lock": ("/app/package-lock.json",),
    "yarn-lock": ("/app/yarn.lock",),
    "pnpm-lock": ("/app/pnpm-lock.yaml",),
    "gem-spec": ("/usr/local/bundle/specifications/x-1.gemspec",),
    "gem-lock": ("/app/Gemfile.lock",),
    "composer-installed": ("/app/vendor/composer/installed.json",),
    "composer-lock": ("/app/composer.lock",),
    "dotnet-deps": ("/app/x.deps.json",),
    "cargo-lock": ("/app/Cargo.lock",),
}
CASES = [(a, path) for a in group_lang.ANALYZERS for path in SAMPLES[a.id]]
JSON_PATHS = [
    "/app/Pipfile.lock",
    "/app/node_modules/x/package.json",
    "/app/package-lock.json",
    "/app/vendor/composer/installed.json",
    "/app/composer.lock",
    "/app/x.deps.json",
]
TOML_PATHS = ["/app/poetry.lock", "/app/uv.lock", "/app/Cargo.lock"]
BY_ID = {a.id: a for a in group_lang.ANALYZERS}


def _analyzer_for(path: str) -> Analyzer:
    return next(a for a, p in CASES if p == path)


def _run(a: Analyzer, path: str, data: bytes) -> Found | AnalyzerError:
    try:
        return a.analyze(bytes_input(path, data))
    except AnalyzerError as exc:
        error = exc
    assert error.message.startswith(path + ":"), error.message
    assert "\n" not in error.message
    return error


def test_every_analyzer_has_samples() -> None:
    assert set(SAMPLES) == {a.id for a in group_lang.ANALYZERS}
    for a, path in CASES:
        assert a.required(path), (a.id, path)


@pytest.mark.parametrize(
    ("a", "path"), CASES, ids=[f"{a.id}:{p.rsplit('/', 1)[1]}" for a, p in CASES]
)
def test_garbage_bytes(a: Analyzer, path: str) -> None:
    rng = random.Random(path)  # noqa: S311 - reproducible garbage, not a secret
    for size in (0, 1, 17, 4096, 200_000):
        result = _run(a, path, rng.randbytes(size))
        if isinstance(result, Found):
            assert result.packages == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), index=st.integers(min_value=0, max_value=len(CASES) - 1))
def test_arbitrary_bytes_never_raise_anything_else(data: bytes, index: int) -> None:
    a, path = CASES[index]
    _run(a, path, data)


@settings(max_examples=60, deadline=None)
@given(
    doc=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda kids: (
            st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=20), kids, max_size=4)
        ),
        max_leaves=30,
    ),
    index=st.integers(min_value=0, max_value=len(JSON_PATHS) - 1),
)
def test_arbitrary_json_shapes(doc: object, index: int) -> None:
    path = JSON_PATHS[index]
    _run(_analyzer_for(path), path, json.dumps(doc).encode())


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="-:[]{}&*!|>'\"#?,@ \n\tab0", max_size=300))
def test_yaml_syntax_soup(text: str) -> None:
    _run(BY_ID["pnpm-lock"], "/app/pnpm-lock.yaml", text.encode())
    _run(BY_ID["yarn-lock"], "/app/yarn.lock", b"__metadata:\n" + text.encode())


@pytest.mark.parametrize(
    "text",
    ["\n" * 1_000_000, "  s" * 300_000, "a" * 1_000_000, "s.name = '" * 90_000, "%q{" * 300_000],
    ids=["blank-lines", "spaces", "one-word", "open-quotes", "open-q"],
)
def test_gemspec_regexes_stay_linear(text: str) -> None:
    start = time.monotonic()
    result = _run(BY_ID["gem-spec"], SAMPLES["gem-spec"][0], text.encode())
    assert isinstance(result, Found) and result.packages == ()
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(
    "line",
    [
        b"a" + b" " * 2_000_000 + b"x",
        b"a[x]" + b" " * 2_000_000 + b"x",
        b"a" + b"-" * 2_000_000 + b"==",
    ],
    ids=["spaces", "extras-spaces", "dashes"],
)
def test_requirement_regex_stays_linear(line: bytes) -> None:
    start = time.monotonic()
    result = _run(BY_ID["python-lock"], "/app/requirements.txt", line)
    assert isinstance(result, Found) and result.packages == ()
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("path", [p for _, p in CASES if "METADATA" not in p])
def test_invalid_utf8_is_an_error(path: str) -> None:
    data = b'{"name": "\xff\xfe"}\n' if path.endswith(".json") else b'name = "\xc3\x28"\n'
    result = _run(_analyzer_for(path), path, data)
    assert isinstance(result, AnalyzerError)


@pytest.mark.parametrize("path", JSON_PATHS)
def test_deep_json_is_an_error_and_quick(path: str) -> None:
    start = time.monotonic()
    result = _run(_analyzer_for(path), path, b"[" * 200_000 + b"]" * 200_000)
    assert isinstance(result, AnalyzerError)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("path", TOML_PATHS)
def test_deep_toml_is_an_error(path: str) -> None:
    result = _run(_analyzer_for(path), path, b"a = " + b"[" * 50_000 + b"]" * 50_000)
    assert isinstance(result, AnalyzerError)
    assert "nested too deeply" in str(result)


@pytest.mark.parametrize("path", ["/app/pnpm-lock.yaml", "/app/yarn.lock"])
def test_yaml_deep_nesting_is_an_error(path: str) -> None:
    text = b"__metadata:\n  version: 8\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    result = _run(_analyzer_for(path), path, text)
    assert isinstance(result, AnalyzerError)
    assert "nested deeper" in str(result) or "invalid YAML" in str(result)


BILLION_LAUGHS = b"""__metadata:
  version: 8
lockfileVersion: '9.0'
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("path", ["/app/pnpm-lock.yaml", "/app/yarn.lock"])
def test_yaml_aliases_are_refused(path: str) -> None:
    start = time.monotonic()
    result = _run(_analyzer_for(path), path, BILLION_LAUGHS)
    assert isinstance(result, AnalyzerError)
    assert "aliases" in str(result)
    assert time.monotonic() - start < 1


def test_yaml_node_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "YAML_NODES", 1000)
    data = b"lockfileVersion: '9.0'\nx:\n" + b"- a\n" * 2000
    result = _run(BY_ID["pnpm-lock"], "/app/pnpm-lock.yaml", data)
    assert isinstance(result, AnalyzerError) and "YAML nodes" in str(result)


def test_yaml_document_cap() -> None:
    result = _run(BY_ID["pnpm-lock"], "/app/pnpm-lock.yaml", b"---\na: 1\n" * 10)
    assert isinstance(result, AnalyzerError) and "YAML documents" in str(result)


def test_yaml_complex_key_is_an_error() -> None:
    result = _run(BY_ID["pnpm-lock"], "/app/pnpm-lock.yaml", b"? [a, b]\n: c\n")
    assert isinstance(result, AnalyzerError) and "mapping key" in str(result)


def test_json_token_budget_refuses_before_parsing() -> None:
    data = b"[" + b"{}," * (_formats.JSON_TOKENS // 2 + 10) + b"{}]"
    start = time.monotonic()
    result = _run(BY_ID["npm-lock"], "/app/package-lock.json", data)
    assert isinstance(result, AnalyzerError) and "structural tokens" in str(result)
    assert time.monotonic() - start < 2


def test_toml_token_budget_refuses_before_parsing() -> None:
    data = b"a = [" + b"1," * (_formats.TOML_TOKENS + 10) + b"]\n"
    result = _run(BY_ID["cargo-lock"], "/app/Cargo.lock", data)
    assert isinstance(result, AnalyzerError) and "structural tokens" in str(result)


def test_package_count_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lang, "MAX_PACKAGES", 10)
    data = b"".join(b"p%d==1.0\n" % i for i in range(20))
    result = _run(BY_ID["python-lock"], "/app/requirements.txt", data)
    assert isinstance(result, AnalyzerError) and "more than 10 packages" in str(result)


@pytest.mark.parametrize("path", ["/app/requirements.txt", "/app/yarn.lock", "/app/Gemfile.lock"])
def test_line_count_cap(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    monkeypatch.setattr(_lang, "MAX_LINES", 1000)
    result = _run(_analyzer_for(path), path, b"\n" * 5000)
    assert isinstance(result, AnalyzerError) and "more than 1000 lines" in str(result)


def test_metadata_headers_stop_at_the_header_cap() -> None:
    data = b"Version: 1\n" + b"X-Junk: y\n" * 30_000 + b"Name: late\n\n"
    found = BY_ID["python-pkg"].analyze(bytes_input(SAMPLES["python-pkg"][0], data))
    assert found.packages == () and found.notes


def test_duplicates_are_reported_once() -> None:
    found = BY_ID["python-lock"].analyze(
        bytes_input("/app/requirements.txt", b"a==1\na==1\nA==1\n")
    )
    assert [(p.name, p.version) for p in found.packages] == [("a", "1"), ("A", "1")]


def test_notes_are_capped() -> None:
    doc = json.dumps(
        {"packages": [{"name": f"bad{i}", "version": "1"} for i in range(100)]}
    ).encode()
    found = BY_ID["composer-lock"].analyze(bytes_input("/app/composer.lock", doc))
    assert len(found.notes) == _lang.MAX_NOTES + 1
    assert found.notes[-1].endswith(f"{100 - _lang.MAX_NOTES} more entries skipped")


@pytest.mark.parametrize("a", group_lang.ANALYZERS, ids=lambda a: a.id)
def test_file_over_the_size_limit_is_refused(a: Analyzer) -> None:
    path = SAMPLES[a.id][0]
    fi = bytes_input(path, b"")
    big = type(fi)(path=path, size=a.max_bytes + 1, mode=fi.mode, opener=fi.opener)
    with pytest.raises(AnalyzerError, match="over the"):
        a.analyze(big)


def test_control_characters_and_huge_fields_are_rejected() -> None:
    doc = json.dumps(
        {
            "libraries": {
                "A\u0000B/1.0": {"type": "package"},
                "x" * 1000 + "/1.0": {"type": "package"},
                "Ok/1.0\u202e": {"type": "package"},
                "Good/2.0": {"type": "package"},
            }
        }
    ).encode()
    found = BY_ID["dotnet-deps"].analyze(bytes_input("/app/x.deps.json", doc))
    assert [p.name for p in found.packages] == ["Good"]
    assert len(found.notes) == 3


WORST = r"""
import io, resource, sys, time
from seawall.inventory.analyzer import AnalyzerError, FileInput
from seawall.inventory.analyzers import _formats, cargo_lock, npm_lock, pnpm_lock, python_pkg, yarn_lock

def run(mod, path, data):
    fi = FileInput(path, len(data), 0o644, lambda: io.BytesIO(data))
    try:
        mod.analyze.analyze(fi)
    except AnalyzerError:
        pass

n = _formats.JSON_TOKENS - 100
run(npm_lock, "/a/package-lock.json", b'{"x": [' + b'"ab",' * n + b'"ab"]}')
run(cargo_lock, "/a/Cargo.lock", b"a = [" + b"1," * (_formats.TOML_TOKENS - 100) + b"]\n")
run(pnpm_lock, "/a/pnpm-lock.yaml", b"lockfileVersion: '9.0'\nx: [" + b"ab," * (_formats.YAML_NODES - 100) + b"ab]\n")
newlines = b"\n" * (32 * 1024 * 1024)
run(yarn_lock, "/a/yarn.lock", newlines)
run(python_pkg, "/a/site-packages/x.dist-info/METADATA", b"a\n" * (8 * 1024 * 1024))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_worst_case_inputs_stay_bounded() -> None:
    """Inputs just under each budget: peak RSS under 500 MiB and a time bound, in a child."""
    start = time.monotonic()
    proc = subprocess.run(
        [*LAUNCHER, sys.executable, "-c", WORST],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    elapsed = time.monotonic() - start
    peak_mib = int(proc.stdout.strip().splitlines()[-1])
    assert peak_mib < 500, f"peak RSS {peak_mib} MiB"
    assert elapsed < 60, f"took {elapsed:.1f} s"
