"""The dpkg analyzer against dpkg itself, plus distroless status.d, edge cases and hostile input.

The differential tests run ``dpkg-query --admindir`` on the debootstrap bookworm tree (built
once and cached by ``tests.support.debian``; never modified here) and on a status file that
holds every dpkg state.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, Found
from seawall.inventory.analyzers import dpkg
from tests.inventory._fixtures import bytes_input, disk_input
from tests.support.debian import ensure_rootfs

FORMAT = "${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}\\n"
STATUS = "/var/lib/dpkg/status"


def run(data: bytes, path: str = STATUS) -> Found:
    return dpkg.analyze.analyze(bytes_input(path, data))


def dpkg_query(admindir: Path, fmt: str = FORMAT) -> list[str]:
    """``dpkg-query -W`` lines for an admin dir (sorted)."""
    tool = shutil.which("dpkg-query")
    if tool is None:
        pytest.fail("dpkg-query is required for the dpkg differential tests")
    proc = subprocess.run(
        [tool, f"--admindir={admindir}", "-W", "-f", fmt],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return sorted(proc.stdout.splitlines())


def as_lines(found: Found) -> list[str]:
    return sorted(
        f"{p.name} {p.version} {p.arch} {p.source_name} {p.source_version}" for p in found.packages
    )


def test_bookworm_tree_matches_dpkg_query() -> None:
    admindir = ensure_rootfs() / "var/lib/dpkg"
    found = dpkg.analyze.analyze(disk_input(admindir / "status", STATUS))
    truth = dpkg_query(admindir)
    assert len(truth) > 50
    assert as_lines(found) == truth
    assert found.notes == ()
    assert all(p.maintainer and p.purl.startswith("pkg:deb/debian/") for p in found.packages)


STATES = """\
Package: a-installed
Status: install ok installed
Maintainer: M <m@example.org>
Architecture: amd64
Version: 1:2.0-1
Source: asrc (3.0)
Description: d

Package: b-config-files
Status: deinstall ok config-files
Maintainer: M <m@example.org>
Architecture: amd64
Version: 1.0
Description: d

Package: c-unpacked
Status: install ok unpacked
Maintainer: M <m@example.org>
Architecture: amd64
Version: 1.0
Description: d

Package: d-half-installed
Status: install reinstreq half-installed
Maintainer: M <m@example.org>
Architecture: amd64
Version: 1.0
Description: d

Package: e-not-installed
Status: purge ok not-installed
Architecture: amd64

Package: f-triggers-pending
Status: install ok triggers-pending
Triggers-Pending: foo
Maintainer: M <m@example.org>
Architecture: amd64
Version: 1.0
Source: fsrc
Description: d

Package: g-half-configured
Status: hold ok half-configured
Maintainer: M <m@example.org>
Architecture: all
Version: 1.0
Source: gsrc (2:1.0)
Description: d
"""


def test_states_match_dpkg_query_except_config_files(tmp_path: Path) -> None:
    """Every state dpkg-query -W lists is reported, except config-files (no code left)."""
    (tmp_path / "updates").mkdir()
    (tmp_path / "status").write_text(STATES)
    truth = dpkg_query(tmp_path, FORMAT.replace("\\n", " ${db:Status-Status}\\n"))
    assert "b-config-files 1.0 amd64 b-config-files 1.0 config-files" in truth
    expected = [line.rsplit(" ", 1)[0] for line in truth if not line.endswith(" config-files")]
    found = run(STATES.encode())
    assert as_lines(found) == expected
    assert found.notes == ()


def test_epoch_source_and_purl() -> None:
    found = run(STATES.encode())
    a = found.packages[0]
    assert (a.version, a.epoch, a.source_name, a.source_version) == ("1:2.0-1", 1, "asrc", "3.0")
    assert a.purl == "pkg:deb/debian/a-installed@2.0-1?arch=amd64&epoch=1"
    g = next(p for p in found.packages if p.name == "g-half-configured")
    assert (g.source_name, g.source_version, g.purl) == (
        "gsrc",
        "2:1.0",
        "pkg:deb/debian/g-half-configured@1.0?arch=all",
    )


def test_status_d_paths() -> None:
    want = dpkg.analyze.required
    assert want("/var/lib/dpkg/status") and want("/var/lib/dpkg/status.d/libc6")
    assert not want("/var/lib/dpkg/status.d/libc6.md5sums")
    assert not want("/var/lib/dpkg/status.d/") and not want("/var/lib/dpkg/status.d/x/y")
    assert not want("/var/lib/dpkg/status-old") and not want("/var/lib/dpkg/available")
    assert not want("/srv/var/lib/dpkg/status")


def test_status_d_stanza_without_status_is_installed_but_not_in_status() -> None:
    stanza = b"Package: base-files\nVersion: 12.4\nArchitecture: amd64\n"
    assert [p.name for p in run(stanza, "/var/lib/dpkg/status.d/base-files").packages] == [
        "base-files"
    ]
    found = run(stanza)
    assert found.packages == ()
    assert any("unreadable Status None" in n for n in found.notes)


def test_crlf_and_field_case_and_no_trailing_newline() -> None:
    lf = b"Package: a\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\nPackage: b\nStatus: install ok installed\nVersion: 2.0\nArchitecture: all"
    crlf = lf.replace(b"\n", b"\r\n")
    upper = lf.replace(b"Package:", b"PACKAGE:").replace(b"Version:", b"version:")
    assert (
        as_lines(run(lf))
        == as_lines(run(crlf))
        == as_lines(run(upper))
        == ["a 1.0 amd64 a 1.0", "b 2.0 all b 2.0"]
    )


def test_multiarch_kept_and_duplicates_last_wins() -> None:
    data = b"".join(
        b"Package: libc6\nStatus: install ok installed\nVersion: %s\nArchitecture: %s\n\n" % (v, a)
        for v, a in ((b"1", b"amd64"), (b"1", b"i386"), (b"2", b"amd64"))
    )
    assert as_lines(run(data)) == ["libc6 1 i386 libc6 1", "libc6 2 amd64 libc6 2"]


@pytest.mark.parametrize(
    ("stanza", "note"),
    [
        (b"Status: install ok installed\nVersion: 1\n", "invalid Package"),
        (b"Package: bad name\nStatus: install ok installed\nVersion: 1\n", "invalid Package"),
        (b"Package: a\nStatus: install ok installed\nVersion: x:1.0\n", "invalid Version"),
        (b"Package: a\nStatus: install ok installed\nVersion: 1 .0\n", "invalid Version"),
        (b"Package: a\nStatus: installed\nVersion: 1\n", "unreadable Status"),
        (b"Package: a\nStatus: install ok bogus\nVersion: 1\n", "unreadable Status"),
    ],
)
def test_bad_stanzas_are_skipped_with_a_note(stanza: bytes, note: str) -> None:
    good = b"Package: ok\nStatus: install ok installed\nVersion: 1\n\n"
    found = run(good + stanza)
    assert [p.name for p in found.packages] == ["ok"]
    assert len(found.notes) == 1 and note in found.notes[0]
    assert found.notes[0].startswith(STATUS + ": stanza at line 5")


def test_bad_source_and_arch_are_ignored_with_a_note() -> None:
    found = run(
        b"Package: a\nStatus: install ok installed\nVersion: 1\nSource: x (y) z\nArchitecture: am d64\n"
    )
    assert as_lines(found) == ["a 1 None a 1"]
    assert len(found.notes) == 2


def test_notes_are_capped() -> None:
    found = run(b"Package: a\nStatus: install ok installed\n\n" * 500)
    assert len(found.notes) == 21 and found.notes[-1].endswith("480 more notes not shown")


@pytest.mark.parametrize(
    "data", [b"\x00\xff" * 50_000, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100, b"\n\n  \n\t\n"]
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(AnalyzerError, match="no package stanzas"):
        run(data)


def test_too_many_stanzas_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dpkg, "MAX_STANZAS", 1000)
    data = b"".join(b"Package: p%d\n\n" % i for i in range(1001))
    with pytest.raises(AnalyzerError, match="more than 1000 stanzas"):
        run(data)


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dpkg, "MAX_BYTES", 300)
    with pytest.raises(AnalyzerError, match="over the size limit"):
        run(STATES.encode())


def test_huge_line_is_streamed_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """A 64 MiB field without any newline, then a real stanza: memory stays small."""
    path = tmp_path / "status"
    with path.open("wb") as fh:
        fh.write(b"Package: big\nStatus: install ok installed\nVersion: 1\nDescription: ")
        chunk = b"A" * (1 << 20)
        for _ in range(64):
            fh.write(chunk)
        fh.write(b"\n\nPackage: after\nStatus: install ok installed\nVersion: 2\n")
    started = time.monotonic()
    tracemalloc.start()
    try:
        found = dpkg.analyze.analyze(disk_input(path, STATUS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.name for p in found.packages] == ["big", "after"]
    assert peak < 4 * 1024 * 1024
    assert time.monotonic() - started < 10


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Package: p",
                    "Status: install ok installed",
                    "Version: 1:2-3",
                    "Source: s (1)",
                    "",
                    " cont",
                    "#c",
                ]
            ),
            st.text(max_size=40),
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
        assert p.name and p.version and p.purl.startswith("pkg:deb/debian/")
