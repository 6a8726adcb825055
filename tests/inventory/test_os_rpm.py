"""The rpm analyzer against real rpm databases, compared with ``rpm -qa``.

Once per session: ``rpmbuild`` builds three tiny noarch packages from the spec files below
(one with an Epoch, one with Epoch 0, all with a License), ``rpm --root --initdb`` and
``rpm -i --nodeps --justdb`` install them into a temporary root (Debian's rpm 4.18 writes an
sqlite rpmdb), and ``rpm -qa --qf`` gives the truth. The same header blobs are then loaded
into Berkeley DB hash files with ``db5.3_load`` (key = the header number as a 4-byte integer
in the file's byte order, value = the blob) in both byte orders, several page sizes and with
page checksums, and every variant must give the same packages.

The committed fixture (``tests/inventory/rpm/input``: the sqlite rpmdb, re-paged smaller, and
a little-endian ``Packages``) comes from this build: ``SEAWALL_REGEN_FIXTURES=1`` rewrites it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from seawall.inventory.analyzer import Found
from seawall.inventory.analyzers import rpm
from seawall.model.inventory import Package
from tests.inventory._fixtures import FIXTURES, disk_input, found_json

SPECS = {
    "alpha": """Name: alpha
Version: 1.2.3
Release: 4.fc99
Epoch: 2
Summary: Alpha test package
License: MIT AND (GPL-2.0-or-later OR BSD-3-Clause)
Vendor: Fedora Project
Packager: Alpha Packager <alpha@example.org>
BuildArch: noarch

%description
Alpha.

%files
""",
    "beta": """Name: beta
Version: 0.9
Release: 1
Summary: Beta test package
License: GPLv2+
BuildArch: noarch

%description
Beta.

%files
""",
    "gamma": """Name: gamma
Version: 2024.1~rc1
Release: 0.3.el9
Epoch: 0
Summary: Gamma test package
License: BSD-3-Clause
Vendor: Rocky Enterprise Software Foundation
BuildArch: noarch

%description
Gamma.

%files
""",
}
QUERY = "%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{LICENSE}|%{EVR}|%{VENDOR}|%{PACKAGER}\\n"
FIXTURE = FIXTURES / "rpm" / "input"


@dataclass(frozen=True)
class RpmWorld:
    """What the session built: the sqlite rpmdb, its header blobs and rpm's own listing."""

    root: Path
    sqlite: Path
    blobs: list[tuple[int, bytes]]
    truth: list[list[str]]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is required for the rpm tests (scripts/test.sh installs it)")
    return path


def _run(*args: str) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, f"{args[0]} failed: {proc.stderr}"
    return proc.stdout


def bdb_load(blobs: list[tuple[int, bytes]], out: Path, order: str, *options: str) -> Path:
    """A Berkeley DB hash file holding ``blobs`` (db5.3_load's bytevalue dump format)."""
    lines = ["VERSION=3", "format=bytevalue", "type=hash", "HEADER=END"]
    for hnum, blob in blobs:
        lines += [" " + struct.pack(order + "I", hnum).hex(), " " + blob.hex()]
    lines.append("DATA=END")
    dump = out.with_suffix(".dump")
    dump.write_text("\n".join(lines) + "\n")
    lorder = "1234" if order == "<" else "4321"
    opts = [x for o in options for x in ("-c", o)]
    _run(_tool("db5.3_load"), "-c", f"db_lorder={lorder}", *opts, "-f", str(dump), str(out))
    return out


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> RpmWorld:
    """Build the packages, install them into a fresh rpmdb and ask rpm what is there."""
    rpmbuild, rpm_cmd = _tool("rpmbuild"), _tool("rpm")
    work = tmp_path_factory.mktemp("rpmworld")
    top, root = work / "top", work / "root"
    for name, spec in SPECS.items():
        (work / f"{name}.spec").write_text(spec)
        _run(rpmbuild, "--define", f"_topdir {top}", "-bb", str(work / f"{name}.spec"))
    rpms = sorted(str(p) for p in (top / "RPMS" / "noarch").glob("*.rpm"))
    assert len(rpms) == len(SPECS)
    db = ("--root", str(root), "--dbpath", "/var/lib/rpm")
    _run(rpm_cmd, *db, "--initdb")
    _run(rpm_cmd, *db, "-i", "--nodeps", "--justdb", *rpms)
    truth = sorted(
        line.split("|") for line in _run(rpm_cmd, *db, "-qa", "--qf", QUERY).splitlines()
    )
    sqlite_path = root / "var/lib/rpm/rpmdb.sqlite"
    conn = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    blobs = [
        (int(h), bytes(b)) for h, b in conn.execute("SELECT hnum, blob FROM Packages ORDER BY hnum")
    ]
    conn.close()
    return RpmWorld(root, sqlite_path, blobs, truth)


def analyze(path: Path, image_path: str) -> Found:
    """Run the rpm analyzer on a host file given as ``image_path``."""
    return rpm.analyze.analyze(disk_input(path, image_path))


def as_rpm_rows(packages: tuple[Package, ...]) -> list[list[str]]:
    """Packages in the shape of the ``QUERY`` lines."""
    rows = []
    for p in packages:
        evr = p.version
        vr = evr.split(":", 1)[1] if p.epoch is not None else evr
        version, release = vr.rsplit("-", 1)
        vendor = dict(p.properties).get("rpm.vendor", "(none)")
        rows.append(
            [
                p.name,
                "(none)" if p.epoch is None else str(p.epoch),
                version,
                release,
                p.arch or "(none)",
                f"{p.source_name}-{p.source_version}.src.rpm",
                *p.licenses,
                evr,
                vendor,
                p.maintainer or "(none)",
            ]
        )
    return sorted(rows)


def test_rpm_made_an_sqlite_rpmdb(world: RpmWorld) -> None:
    assert world.sqlite.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [row[0] for row in world.truth] == ["alpha", "beta", "gamma"]


def test_sqlite_rpmdb_matches_rpm_qa(world: RpmWorld) -> None:
    found = analyze(world.sqlite, "/var/lib/rpm/rpmdb.sqlite")
    assert found.notes == ()
    assert as_rpm_rows(found.packages) == world.truth
    alpha = next(p for p in found.packages if p.name == "alpha")
    assert alpha.purl == "pkg:rpm/fedora/alpha@1.2.3-4.fc99?arch=noarch&epoch=2"
    assert (alpha.source_name, alpha.source_version) == ("alpha", "1.2.3-4.fc99")
    gamma = next(p for p in found.packages if p.name == "gamma")
    assert (gamma.version, gamma.epoch) == ("0:2024.1~rc1-0.3.el9", 0)
    assert gamma.purl == "pkg:rpm/rocky/gamma@2024.1~rc1-0.3.el9?arch=noarch"


@pytest.mark.parametrize(
    ("order", "options"),
    [
        ("<", ()),
        (">", ()),
        ("<", ("db_pagesize=512",)),
        (">", ("db_pagesize=512", "chksum=1")),
        ("<", ("db_pagesize=65536",)),  # headers fit on the bucket pages: no overflow pages
    ],
    ids=["le-4k", "be-4k", "le-512", "be-512-chksum", "le-64k"],
)
def test_bdb_packages_match_rpm_qa(
    world: RpmWorld, tmp_path: Path, order: str, options: tuple[str, ...]
) -> None:
    db = bdb_load(world.blobs, tmp_path / "Packages", order, *options)
    found = analyze(db, "/var/lib/rpm/Packages")
    assert found.notes == ()
    assert as_rpm_rows(found.packages) == world.truth


def test_bdb_with_many_buckets_and_chains(world: RpmWorld, tmp_path: Path) -> None:
    """Enough records for bucket splits and chained bucket pages, plus rpm's record 0."""
    names = [p.name for p in analyze(world.sqlite, "/var/lib/rpm/rpmdb.sqlite").packages]
    blobs = [(0, struct.pack("<I", 601))]  # rpm's instance counter, not a package
    blobs += [(i, world.blobs[i % len(world.blobs)][1]) for i in range(1, 601)]
    for order in ("<", ">"):
        db = bdb_load(blobs, tmp_path / f"Packages-{order == '>'}", order, "db_pagesize=1024")
        found = analyze(db, "/usr/lib/sysimage/rpm/Packages")
        assert [p.name for p in found.packages] == [names[i % len(names)] for i in range(1, 601)]


def _compact_copy(src: Path, dst: Path) -> None:
    """rpm's database re-paged to 512 bytes (about 40 KB instead of 210), still in WAL mode."""
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 512")
    conn.execute("VACUUM")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert dst.read_bytes()[18:20] == b"\x02\x02"


def test_static_fixture_is_what_rpm_makes(world: RpmWorld, tmp_path: Path) -> None:
    """The committed fixture files hold the packages a fresh rpm build gives."""
    sqlite_fixture = FIXTURE / "var/lib/rpm/rpmdb.sqlite"
    bdb_fixture = FIXTURE / "usr/lib/sysimage/rpm/Packages"
    if os.environ.get("SEAWALL_REGEN_FIXTURES") == "1":
        sqlite_fixture.parent.mkdir(parents=True, exist_ok=True)
        bdb_fixture.parent.mkdir(parents=True, exist_ok=True)
        _compact_copy(world.sqlite, sqlite_fixture)
        bdb_fixture.unlink(missing_ok=True)
        bdb_load(world.blobs, bdb_fixture, "<")
        bdb_fixture.with_suffix(".dump").unlink()
    fresh = analyze(world.sqlite, "/var/lib/rpm/rpmdb.sqlite")
    committed = analyze(sqlite_fixture, "/var/lib/rpm/rpmdb.sqlite")
    assert found_json(fresh, with_os=True) == found_json(committed, with_os=True)
    # Same image path as the sqlite file, so the JSON compares whole (the format is sniffed).
    from_bdb = analyze(bdb_fixture, "/var/lib/rpm/rpmdb.sqlite")
    assert found_json(from_bdb, with_os=True) == found_json(fresh, with_os=True)
