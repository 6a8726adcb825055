"""The apk analyzer: record parsing details and hostile installed databases."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, Found
from seawall.inventory.analyzers import apk
from tests.inventory._fixtures import bytes_input, disk_input

INSTALLED = "/lib/apk/db/installed"
RECORD = b"C:Q1abc=\nP:zlib\nV:1.3.1-r0\nA:aarch64\nL:Zlib\no:zlib\nm:Natanael Copa <ncopa@alpinelinux.org>\nF:lib\nR:libz.so.1\n"


def run(data: bytes) -> Found:
    return apk.analyze.analyze(bytes_input(INSTALLED, data))


def test_record_fields_and_purl() -> None:
    (pkg,) = run(RECORD).packages
    assert (pkg.name, pkg.version, pkg.arch, pkg.licenses) == (
        "zlib",
        "1.3.1-r0",
        "aarch64",
        ("Zlib",),
    )
    assert (pkg.source_name, pkg.source_version, pkg.epoch) == ("zlib", "1.3.1-r0", None)
    assert pkg.maintainer == "Natanael Copa <ncopa@alpinelinux.org>"
    assert pkg.purl == "pkg:apk/alpine/zlib@1.3.1-r0?arch=aarch64"


def test_origin_defaults_to_the_name_and_license_may_be_missing() -> None:
    (pkg,) = run(b"P:tiny\nV:1-r0\n").packages
    assert (pkg.source_name, pkg.licenses, pkg.arch, pkg.maintainer) == ("tiny", (), None, None)
    assert pkg.purl == "pkg:apk/alpine/tiny@1-r0"


def test_crlf_and_missing_final_newline() -> None:
    twice = RECORD + b"\n" + RECORD.replace(b"P:zlib", b"P:zlib-dev")
    expected = [p.name for p in run(twice).packages]
    assert expected == ["zlib", "zlib-dev"]
    assert [p.name for p in run(twice.replace(b"\n", b"\r\n").rstrip()).packages] == expected


def test_required_paths() -> None:
    assert apk.analyze.required(INSTALLED)
    assert not apk.analyze.required("/lib/apk/db/installed.new")
    assert not apk.analyze.required("/usr/lib/apk/db/installed")


@pytest.mark.parametrize(
    "data", [b"\x00\xff" * 50_000, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100, b"\n \n\n"]
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(AnalyzerError, match="no package records"):
        run(data)


def test_bad_records_are_notes() -> None:
    found = run(RECORD + b"\nP:bad name\nV:1\n\nP:x\nV:1 2\n\nP:y\nV:1\nA:x 86\n\ngarbage line\n")
    assert [p.name for p in found.packages] == ["zlib", "y"]
    assert len(found.notes) == 4
    assert all(n.startswith(INSTALLED + ": ") for n in found.notes)


def test_too_many_records_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apk, "MAX_RECORDS", 1000)
    data = b"".join(b"P:p%d\nV:1\n\n" % i for i in range(1001))
    with pytest.raises(AnalyzerError, match="more than 1000 records"):
        run(data)


def _big_db(path: Path, file_lines: int) -> Path:
    """A record with ``file_lines`` x 3 file-list lines and one 32 MiB line, then a record."""
    with path.open("wb") as fh:
        fh.write(RECORD)
        fh.write(b"R:file\na:0:0:644\nZ:Q1xyz=\n" * file_lines)
        fh.write(b"T:" + b"x" * (32 << 20) + b"\n\nP:after\nV:2-r0\n")
    return path


def test_huge_file_lists_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = _big_db(tmp_path / "installed", 20_000)
    tracemalloc.start()
    try:
        found = apk.analyze.analyze(disk_input(path, INSTALLED))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.name for p in found.packages] == ["zlib", "after"]
    assert peak < 4 * 1024 * 1024


def test_huge_file_lists_in_bounded_time(tmp_path: Path) -> None:
    path = _big_db(tmp_path / "installed", 1_000_000)  # about 55 MB, 3 million lines
    started = time.monotonic()
    found = apk.analyze.analyze(disk_input(path, INSTALLED))
    assert [p.name for p in found.packages] == ["zlib", "after"]
    assert time.monotonic() - started < 10


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["P:p", "V:1-r0", "A:x86_64", "o:o", "L:MIT", "", "F:x"]),
            st.text(max_size=30),
        ),
        max_size=40,
    )
)
def test_fuzz(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        found = run(data)
    except AnalyzerError as exc:
        found, error = Found(), str(exc)
    else:
        error = ""
    assert "\n" not in error
    for p in found.packages:
        assert p.name and p.version and p.purl.startswith("pkg:apk/alpine/")
