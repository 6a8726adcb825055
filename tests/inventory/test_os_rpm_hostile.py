"""Hostile rpm databases: damaged headers, Berkeley DB page loops, booby-trapped sqlite files.

Every case must end in ``AnalyzerError`` (whole file refused) or a note (one header skipped),
never another exception, within a time bound. Inputs are made from the committed fixture
files (``tests/inventory/rpm/input``), so no tool is needed here.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import struct
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found
from seawall.inventory.analyzers import rpm
from seawall.inventory.analyzers._rpmheader import HeaderError, parse_header, split_sourcerpm
from tests.inventory._fixtures import FIXTURES, bytes_input

SQLITE = (FIXTURES / "rpm/input/var/lib/rpm/rpmdb.sqlite").read_bytes()
BDB = (FIXTURES / "rpm/input/usr/lib/sysimage/rpm/Packages").read_bytes()
PAGE = struct.unpack_from("<I", BDB, 20)[0]


def run(data: bytes, path: str = "/var/lib/rpm/Packages") -> Found:
    """The rpm analyzer on in-memory bytes."""
    return rpm.analyze.analyze(bytes_input(path, data))


def refused(data: bytes, match: str, path: str = "/var/lib/rpm/Packages") -> None:
    """The analyzer refuses the file with a one-line message naming it and the problem."""
    with pytest.raises(AnalyzerError, match=match) as info:
        run(data, path)
    assert str(info.value).startswith(path + ": ")
    assert "\n" not in str(info.value)


# --- header blobs ---------------------------------------------------------------------------


def header(entries: list[tuple[int, int, bytes, int]], *, magic: bool = False) -> bytes:
    """A header blob from ``(tag, type, data, count)`` entries, data stored in order."""
    index, store = b"", b""
    for tag, typ, data, count in entries:
        if typ == 4:
            store += b"\x00" * (-len(store) % 4)
        index += struct.pack(">iIiI", tag, typ, len(store), count)
        store += data
    blob = struct.pack(">II", len(entries), len(store)) + index + store
    return (b"\x8e\xad\xe8\x01\x00\x00\x00\x00" + blob) if magic else blob


GOOD = [
    (1000, 6, b"zlib\x00", 1),
    (1001, 6, b"1.2.11\x00", 1),
    (1002, 6, b"41.el9\x00", 1),
    (1003, 4, struct.pack(">i", 1), 1),
    (1022, 6, b"x86_64\x00", 1),
    (1014, 6, b"zlib and Boost\x00", 1),
    (1044, 6, b"zlib-1.2.11-41.el9.src.rpm\x00", 1),
    (1011, 6, b"Red Hat, Inc.\x00", 1),
]


def test_header_reads_the_tags() -> None:
    for magic in (False, True):
        h = parse_header(header(GOOD, magic=magic))
        assert (h.name, h.version, h.release, h.epoch, h.arch) == (
            "zlib",
            "1.2.11",
            "41.el9",
            1,
            "x86_64",
        )
        assert (h.license, h.sourcerpm, h.vendor) == (
            "zlib and Boost",
            "zlib-1.2.11-41.el9.src.rpm",
            "Red Hat, Inc.",
        )


@pytest.mark.parametrize(
    ("blob", "match"),
    [
        (b"", "too short"),
        (struct.pack(">II", 0, 0), "index entry count 0"),
        (struct.pack(">II", 0x10000, 0), "index entry count"),
        (struct.pack(">II", 1, 0x7FFFFFFF), "over the"),
        (struct.pack(">II", 2, 8) + b"\x00" * 16, "claims"),
        (header([(1000, 6, b"x\x00", 1)])[:-1], "claims"),
        (header([(1000, 6, b"zlib", 1)]), "without NUL"),
        (header([(1000, 6, b"zlib\x00", 1), (1001, 6, b"1\x00", 1)]), "required tag 1002"),
        (header([*GOOD[:3], (1003, 6, b"1\x00", 1)]), "expected INT32"),
        (header([*GOOD[:3], (1003, 4, struct.pack(">i", -5), 1)]), "negative epoch"),
        (header([*GOOD[:3], (1003, 4, b"\x00\x00", 1)]), "INT32 value out of bounds"),
        (header([*GOOD[:3], (1022, 7, b"abc\x00", 1)]), "expected a string"),
        (header([*GOOD[:3], (1022, 6, b"abc\x00", 0)]), "expected a string"),
    ],
)
def test_header_damage_is_a_header_error(blob: bytes, match: str) -> None:
    with pytest.raises(HeaderError, match=match):
        parse_header(blob)


@pytest.mark.parametrize("offset", [-1, -0x80000000, 10_000, 0x7FFFFFFF])
def test_header_offsets_outside_the_store(offset: int) -> None:
    blob = bytearray(header(GOOD))
    struct.pack_into(">i", blob, 8 + 8, offset)  # the offset of the first entry (NAME)
    with pytest.raises(HeaderError, match="outside"):
        parse_header(bytes(blob))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=300))
def test_header_fuzz(noise: bytes, at: int) -> None:
    """Random bytes, or a good header with bytes overwritten: a value or HeaderError."""
    for blob in (noise, (header(GOOD)[:at] + noise)[: len(header(GOOD))]):
        with contextlib.suppress(HeaderError):
            parse_header(blob)


def test_sourcerpm_shapes() -> None:
    assert split_sourcerpm("bash-5.1.8-6.el9.src.rpm") == ("bash", "5.1.8-6.el9")
    assert split_sourcerpm("python3-pip-21.3.1-1.fc36.nosrc.rpm") == (
        "python3-pip",
        "21.3.1-1.fc36",
    )
    assert split_sourcerpm("bash.src.rpm") is None
    assert split_sourcerpm("bash-5.1.8-6.el9.rpm") is None


# --- Berkeley DB ---------------------------------------------------------------------------


def pages_of_type(data: bytes, ptype: int) -> list[int]:
    """Page numbers of the pages of one type (7 overflow, 13 hash) in a BDB file."""
    return [n for n in range(1, len(data) // PAGE) if data[n * PAGE + 25] == ptype]


def patched(data: bytes, at: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


def test_bdb_fixture_has_the_pages_the_cases_need() -> None:
    assert pages_of_type(BDB, 7) and pages_of_type(BDB, 13)
    assert len(run(BDB).packages) == 3


def _first(ptype: int) -> int:
    return pages_of_type(BDB, ptype)[0]


def _first_item(pg: int) -> int:
    return int(struct.unpack_from("<H", BDB, pg * PAGE + 26)[0])


BDB_CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "overflow-self-loop": (
        lambda: patched(BDB, _first(7) * PAGE + 16, "<I", _first(7)),
        "reached twice",
    ),
    "bucket-self-loop": (
        lambda: patched(BDB, _first(13) * PAGE + 16, "<I", _first(13)),
        "reached twice",
    ),
    "overflow-next-outside": (
        lambda: patched(BDB, _first(7) * PAGE + 16, "<I", 0xFFFFFFF0),
        "outside",
    ),
    "item-offset-outside": (
        lambda: patched(BDB, _first(13) * PAGE + 26, "<H", 0xFFFF),
        "out of bounds",
    ),
    "odd-entries": (lambda: patched(BDB, _first(13) * PAGE + 20, "<H", 3), "entry count"),
    "huge-entries": (lambda: patched(BDB, _first(13) * PAGE + 20, "<H", 0xFFFE), "entry count"),
    "overflow-length": (
        lambda: patched(BDB, _first(7) * PAGE + 22, "<H", 0xFFFF),
        "invalid length",
    ),
    "bad-magic": (lambda: patched(BDB, 12, "<I", 0x12345678), "bad magic"),
    "btree": (lambda: patched(BDB, 12, "<I", 0x053162), "btree"),
    "encrypted": (lambda: patched(BDB, 24, "<B", 1), "encrypted"),
    "page-size": (lambda: patched(BDB, 20, "<I", 1000), "page size"),
    "version": (lambda: patched(BDB, 16, "<I", 99), "version"),
    "max-bucket": (lambda: patched(BDB, 72, "<I", 0xFFFFFFFF), "buckets cannot fit"),
    "spares-outside": (lambda: patched(BDB, 96, "<I", 0x7FFFFFFF), "outside"),
    "truncated": (lambda: BDB[: len(BDB) - PAGE // 2], "truncated|outside|reached"),
    "meta-only": (lambda: BDB[:PAGE], "buckets cannot fit|outside"),
    "tiny": (lambda: BDB[:100], "too short"),
    "page-type": (lambda: patched(BDB, _first(7) * PAGE + 25, "<B", 13), "not an overflow page"),
    "page-number": (lambda: patched(BDB, _first(13) * PAGE + 8, "<I", 77), "not a hash page"),
    "duplicates": (
        lambda: patched(BDB, _first(13) * PAGE + _first_item(_first(13)), "<B", 2),
        "duplicate",
    ),
    "huge-tlen": (
        lambda: patched(
            BDB,
            _first(13) * PAGE + struct.unpack_from("<H", BDB, _first(13) * PAGE + 28)[0] + 8,
            "<I",
            0xFFFFFFFF,
        ),
        "over the limit",
    ),
}


@pytest.mark.parametrize("case", sorted(BDB_CASES))
def test_bdb_damage_is_refused(case: str) -> None:
    make, match = BDB_CASES[case]
    started = time.monotonic()
    refused(make(), match)
    assert time.monotonic() - started < 2


def test_bdb_garbage_inside_a_blob_is_a_note() -> None:
    """A damaged header inside a sound database skips that package only."""
    pg = _first(7)  # the first page of one header's overflow chain
    data = patched(BDB, pg * PAGE + 26, ">I", 0)  # il = 0
    found = run(data)
    assert len(found.packages) == 2
    assert any("index entry count 0" in n for n in found.notes)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(BDB) - 1), st.integers(0, 255)), min_size=1, max_size=8)
)
def test_bdb_fuzz(flips: list[tuple[int, int]]) -> None:
    data = bytearray(BDB)
    for at, value in flips:
        data[at] = value
    with contextlib.suppress(AnalyzerError):
        run(bytes(data))


# --- sqlite ---------------------------------------------------------------------------------


def sqlite_db(*statements: str) -> bytes:
    """A fresh sqlite database made by ``statements``, as bytes."""
    conn = sqlite3.connect(":memory:")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


SQLITE_PATH = "/usr/lib/sysimage/rpm/rpmdb.sqlite"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (
            sqlite_db(
                "CREATE VIEW Packages AS WITH RECURSIVE c(hnum, blob) AS "
                "(SELECT 1, x'00' UNION ALL SELECT hnum + 1, blob FROM c) SELECT * FROM c"
            ),
            "no Packages table",
        ),
        (sqlite_db("CREATE TABLE Other (hnum INTEGER, blob BLOB)"), "no Packages table"),
        (sqlite_db("CREATE VIRTUAL TABLE Packages USING rtree(hnum, a, b)"), "no Packages table"),
        (
            sqlite_db(
                "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob AS (zeroblob(900000000)))",
                "INSERT INTO Packages (hnum) VALUES (1)",
            ),
            "plain hnum and blob",
        ),
        (sqlite_db("CREATE TABLE Packages (hnum INTEGER, other BLOB)"), "plain hnum and blob"),
        (
            sqlite_db(
                "CREATE TABLE Packages (hnum, blob)", "INSERT INTO Packages VALUES ('one', x'00')"
            ),
            "unexpected column types",
        ),
        (
            sqlite_db(
                "CREATE TABLE Packages (hnum, blob)", "INSERT INTO Packages VALUES (1, x'0000')"
            ),
            "none of the 1 package headers",
        ),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "unreadable sqlite rpmdb"),
        (b"SQLite format 3\x00", "too short"),
    ],
    ids=[
        "recursive-view",
        "no-table",
        "virtual",
        "generated",
        "columns",
        "types",
        "garbage-blob",
        "garbage",
        "short",
    ],
)
def test_sqlite_traps_are_refused(data: bytes, match: str) -> None:
    started = time.monotonic()
    refused(data, match, SQLITE_PATH)
    assert time.monotonic() - started < 5


def test_sqlite_is_never_opened_from_a_host_path(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = sqlite3.connect

    def spy(database: str) -> sqlite3.Connection:
        opened.append(database)
        return real(database)

    monkeypatch.setattr(sqlite3, "connect", spy)
    assert len(run(SQLITE, SQLITE_PATH).packages) == 3
    assert opened == [":memory:"]


def test_sqlite_over_the_size_cap_is_refused() -> None:
    size = rpm.MAX_BYTES + 1
    fi = FileInput(SQLITE_PATH, size, 0o644, lambda: io.BytesIO(b"SQLite format 3\x00"))
    with pytest.raises(AnalyzerError, match="limit"):
        rpm.analyze.analyze(fi)


def test_sqlite_truncated() -> None:
    for cut in (len(SQLITE) // 2, len(SQLITE) - 512, 1024):
        try:
            found = run(SQLITE[:cut], SQLITE_PATH)
        except AnalyzerError:
            continue
        assert len(found.packages) <= 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(100, len(SQLITE) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_sqlite_fuzz(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SQLITE)
    for at, value in flips:
        data[at] = value
    with contextlib.suppress(AnalyzerError):
        run(bytes(data), SQLITE_PATH)


def test_analyzer_wants_only_rpmdb_paths() -> None:
    want = rpm.analyze.required
    assert want("/var/lib/rpm/rpmdb.sqlite") and want("/usr/lib/sysimage/rpm/Packages")
    assert not want("/var/lib/rpm/rpmdb.sqlite-wal") and not want("/var/lib/rpm/Packages.bak")
    assert not want("/home/x/var/lib/rpm/Packages") and not want("/var/lib/rpm/Name")
