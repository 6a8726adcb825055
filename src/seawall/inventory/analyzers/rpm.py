"""The ``rpm`` analyzer: installed rpm packages from the rpm database.

Two storage formats, told apart by their content (not their name):

- the sqlite rpmdb of current RHEL, Fedora, Rocky, Alma (``rpmdb.sqlite``: table
  ``Packages(hnum, blob)``). The file is opened from its bytes as an in-memory database
  (``sqlite3`` ``deserialize``; a host path is never opened), switched from WAL to rollback
  journal mode in the copy (an in-memory database cannot use a WAL), read-only, with
  untrusted schema features off, ``Packages`` required to be a plain table, a cap on any
  one value and a budget of SQLite VM steps and time;
- the Berkeley DB hash ``Packages`` file of older systems (``_bdb``: key = the header number,
  value = the header blob).

Each value is an rpm header blob parsed by ``_rpmheader``. ``Package.version`` is rpm's
``%{EVR}`` (``2:1.2.3-4.fc99``, or ``1.2.3-4.fc99`` without an EPOCH tag), ``epoch`` the EPOCH
tag; the source package comes from SOURCERPM (``name-version-release.src.rpm`` -> ``name``,
``version-release``, as written there, without an epoch). ``licenses`` holds the LICENSE
string whole, ``maintainer`` the PACKAGER, the VENDOR goes to the ``rpm.vendor`` property.
``gpg-pubkey`` entries (imported signing keys, not software) are left out. The purl is
``pkg:rpm/<namespace>/NAME@VERSION-RELEASE?arch=A&epoch=N`` with the namespace guessed from
VENDOR (``redhat`` when unknown) until the pipeline sets it from the OS
(``os_release.apply_os``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._bdb import BdbError, HashFile
from seawall.inventory.analyzers._distro import os_purl, rpm_vendor_namespace
from seawall.inventory.analyzers._lines import Notes
from seawall.inventory.analyzers._rpmheader import (
    MAX_DATA,
    HeaderError,
    RpmHeader,
    parse_header,
    split_sourcerpm,
)
from seawall.model.inventory import Package

PATHS = frozenset(
    {
        "/var/lib/rpm/rpmdb.sqlite",
        "/usr/lib/sysimage/rpm/rpmdb.sqlite",
        "/var/lib/rpm/Packages",
        "/usr/lib/sysimage/rpm/Packages",
    }
)
#: The sqlite rpmdb is held in memory while read, so it has its own size cap.
MAX_BYTES = 128 * 1024 * 1024
MAX_PACKAGES = 100_000
#: SQLite VM steps allowed (checked every ``_STEP`` steps): ample for any real rpmdb.
_STEP = 10_000
_MAX_STEP_CALLS = 20_000
#: Wall-clock cap on reading one sqlite rpmdb (real ones take well under a second).
_MAX_SECONDS = 60.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The largest header blob ``_rpmheader`` accepts (data store, index, counts and magic).
_MAX_VALUE = MAX_DATA + 16 * 0xFFFF + 16


def _required(path: str) -> bool:
    return path in PATHS


def _one_line(exc: Exception) -> str:
    """An exception's message on one short line (SQLite may quote bytes of the file)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:200] + "..."


def _read_all(fi: FileInput) -> bytearray:
    """The whole file in one buffer, filled piece by piece (one copy, not three)."""
    if fi.size > MAX_BYTES:
        raise AnalyzerError(f"{fi.path}: {fi.size} bytes is over the {MAX_BYTES}-byte limit")
    data = bytearray(fi.size)
    got = 0
    with fi.open() as fh:
        while got < fi.size and (chunk := fh.read(min(1 << 20, fi.size - got))):
            data[got : got + len(chunk)] = chunk
            got += len(chunk)
    del data[got:]
    return data


def _open_sqlite(fi: FileInput) -> sqlite3.Connection:
    """An in-memory, read-only, bounded copy of the database (never a host path)."""
    data = _read_all(fi)
    if len(data) < 100:
        raise AnalyzerError(f"{fi.path}: too short for an sqlite database")
    if data[18] == 2 or data[19] == 2:
        data[18] = data[19] = 1  # WAL -> rollback journal: an in-memory copy has no WAL
    steps = 0
    deadline = time.monotonic() + _MAX_SECONDS

    def budget() -> int:
        nonlocal steps
        steps += 1
        # Non-zero interrupts the statement: too many VM steps, or too long in functions.
        return 1 if steps > _MAX_STEP_CALLS or time.monotonic() > deadline else 0

    conn = sqlite3.connect(":memory:")
    conn.text_factory = bytes  # the file's text may be any bytes: never decode it implicitly
    try:
        conn.deserialize(data)
        # A hostile schema could compute huge values: cap any one string or blob.
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, _MAX_VALUE)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.set_progress_handler(budget, _STEP)
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _check_schema(conn: sqlite3.Connection, path: str) -> None:
    """``Packages`` must be a plain table with plain ``hnum`` and ``blob`` columns.

    Views, virtual tables and generated columns would run the file's own code on read.
    """
    row = conn.execute("SELECT type, sql FROM sqlite_master WHERE name = 'Packages'").fetchone()
    if (
        row is None
        or row[0] != b"table"
        or bytes(row[1] or b"").upper().startswith(b"CREATE VIRTUAL")
    ):
        raise AnalyzerError(f"{path}: no Packages table, not an rpmdb")
    # table_xinfo's last column is 0 for ordinary columns (2 and 3 mark generated ones).
    columns = {r[1]: r[-1] for r in conn.execute("PRAGMA table_xinfo('Packages')")}
    if columns.get(b"hnum") != 0 or columns.get(b"blob") != 0:
        raise AnalyzerError(f"{path}: Packages table without plain hnum and blob columns")


def _sqlite_blobs(fi: FileInput) -> Iterator[tuple[int, bytes]]:
    """``(hnum, blob)`` rows of the ``Packages`` table of an sqlite rpmdb given as bytes."""
    try:
        conn = _open_sqlite(fi)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise AnalyzerError(f"{fi.path}: unreadable sqlite rpmdb ({_one_line(exc)})") from None
    try:
        _check_schema(conn, fi.path)
        for hnum, blob in conn.execute("SELECT hnum, blob FROM Packages"):
            if not isinstance(hnum, int) or not isinstance(blob, bytes):
                raise AnalyzerError(f"{fi.path}: Packages row with unexpected column types")
            yield hnum, blob
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        # Python decodes SQLite's error messages, which may quote the file's broken bytes.
        raise AnalyzerError(f"{fi.path}: unreadable sqlite rpmdb ({_one_line(exc)})") from None
    finally:
        conn.close()


def _bdb_blobs(fi: FileInput) -> Iterator[tuple[int, bytes]]:
    """``(hnum, blob)`` pairs of a Berkeley DB ``Packages`` hash file."""
    try:
        with fi.open() as fh:
            db = HashFile(fh, fi.size, max_value=_MAX_VALUE)
            for key, value in db.items():
                if len(key) != 4:
                    raise AnalyzerError(
                        f"{fi.path}: record key of {len(key)} bytes, not a header number"
                    )
                # rpm writes the key in host order, as the database's own integers are;
                # record 0 is rpm's instance counter, not a package.
                hnum = int.from_bytes(key, db.byteorder)
                if hnum:
                    yield hnum, value
    except BdbError as exc:
        raise AnalyzerError(f"{fi.path}: {exc}") from None


def _package(h: RpmHeader, path: str, notes: Notes) -> Package:
    vr = f"{h.version}-{h.release}"
    version = f"{h.epoch}:{vr}" if h.epoch is not None else vr
    source = split_sourcerpm(h.sourcerpm) if h.sourcerpm else None
    if h.sourcerpm and source is None:
        notes.add(f"{h.name}: SOURCERPM {h.sourcerpm[:80]!r} is not name-version-release.src.rpm")
    return Package(
        name=h.name,
        version=version,
        ecosystem="rpm",
        purl=os_purl(
            "rpm",
            h.name,
            version,
            namespace=rpm_vendor_namespace(h.vendor),
            arch=h.arch,
            epoch=h.epoch,
        ),
        analyzer="rpm",
        path=path,
        source_name=source[0] if source else None,
        source_version=source[1] if source else None,
        epoch=h.epoch,
        arch=h.arch,
        licenses=(h.license,) if h.license else (),
        maintainer=h.packager or None,
        properties=(("rpm.vendor", h.vendor),) if h.vendor else (),
    )


@analyzer(
    id="rpm",
    version=1,
    description="rpm packages from the sqlite rpmdb and the Berkeley DB Packages file",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(fi: FileInput) -> Found:
    """The installed packages of one rpm database file."""
    with fi.open() as fh:
        head = fh.read(16)
    blobs = _sqlite_blobs(fi) if head == _SQLITE_MAGIC else _bdb_blobs(fi)
    notes = Notes(fi.path)
    found: list[tuple[int, Package]] = []
    rows = bad = 0
    for hnum, blob in blobs:
        rows += 1
        if rows > MAX_PACKAGES:
            raise AnalyzerError(f"{fi.path}: more than {MAX_PACKAGES} packages")
        try:
            header = parse_header(blob)
        except HeaderError as exc:
            bad += 1
            notes.add(f"header {hnum}: {exc}; skipped")
            continue
        if header.name != "gpg-pubkey":
            found.append((hnum, _package(header, fi.path, notes)))
    if bad and not found:
        raise AnalyzerError(f"{fi.path}: none of the {rows} package headers is readable")
    found.sort(key=lambda item: item[0])
    return Found(packages=tuple(pkg for _, pkg in found), notes=notes.done())
