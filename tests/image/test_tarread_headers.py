"""The tar reader on hand-built headers: what tarfile never writes, and hostile records.

Base-256 numbers, signed checksums, V7 directories, ustar prefixes, pax records that
override or break things, metadata chains and caps, truncation, and GNU sparse maps (old
``S`` headers with extension blocks, pax 0.0, 0.1 and 1.0, and invalid maps).
"""

from __future__ import annotations

import io

import pytest

from seawall.image.spool import TruncatedData
from seawall.image.tarformat import (
    MAX_CHAIN,
    MAX_META_BYTES,
    MetaTooLarge,
    SparseMapError,
    TarFormatError,
    number,
)
from tests.image.tarblocks import END, header, member, pax, read_all, reader


def test_numbers() -> None:
    assert number(b"0000644\x00") == 0o644
    assert number(b"  644 \x00\x00") == 0o644
    assert number(b"\x00" * 8) == 0
    assert number(b"\x80" + (9 * 1024**3).to_bytes(11, "big")) == 9 * 1024**3
    assert number(b"\xff" * 12) == -1
    for bad in (b"0000899\x00", b"12\xe9\x00"):
        with pytest.raises(TarFormatError):
            number(bad)


def test_base256_size_and_signed_checksum() -> None:
    data = b"x" * 700
    big = b"\x80" + len(data).to_bytes(11, "big")
    archive = header("é".encode() * 3, size=big, signed=True) + data + b"\x00" * 324 + END
    [(entry, content)] = read_all(archive)
    assert (entry.name, entry.size, content) == ("ééé", 700, data)


def test_prefix_only_in_posix_ustar_headers() -> None:
    posix = member(b"file", b"1", prefix=b"some/dir")
    gnu = member(b"other", b"2", magic=b"ustar  \x00", at={345: b"12345670123\x00"})
    names = [e.name for e, _ in read_all(posix + gnu + END)]
    assert names == ["some/dir/file", "other"]


def test_v7_directory_and_header_only_types() -> None:
    # A link's size field is ignored (no data follows it), as tarfile and Docker read it.
    archive = header(b"olddir/", b"\x00") + header(b"ln", b"2", 999, link=b"t") + member(b"f", b"z")
    entries = [e for e, _ in read_all(archive + END)]
    assert [(e.name, e.type) for e in entries] == [("olddir", 0x35), ("ln", 0x32), ("f", 0x30)]


def test_unknown_types_have_their_data_skipped() -> None:
    archive = member(b"vol", b"v" * 600, b"V") + member(b"after", b"ok") + END
    assert [(e.name, c) for e, c in read_all(archive)] == [("vol", None), ("after", b"ok")]


def test_pax_overrides_and_globals() -> None:
    archive = (
        pax({"path": "global/name"}, b"g")
        + member(b"short")  # takes the global path
        + pax({"path": "local/name/", "linkpath": "target", "mtime": "1.5"})
        + header(b"x", b"2")
        + pax({"size": "3"})
        + header(b"sized", size=99)
        + b"abc".ljust(512, b"\x00")
        + END
    )
    got = [(e.name, e.linkname, e.size, c) for e, c in read_all(archive)]
    assert got == [
        ("global/name", "", 0, b""),
        ("local/name", "target", 0, None),
        ("global/name", "", 3, b"abc"),
    ]


def test_first_record_of_a_chain_wins() -> None:
    archive = (
        member(b"././@LongLink", b"gnu/long/name\x00", b"L")
        + pax({"path": "pax/name"})
        + member(b"short", b"1")
        + END
    )
    assert [e.name for e, _ in read_all(archive)] == ["gnu/long/name"]


def test_malformed_pax_records() -> None:
    quiet = member(b"././@PaxHeader", b"garbage without records", b"x") + member(b"f") + END
    assert [e.name for e, _ in read_all(quiet)] == ["f"]
    with pytest.raises(TarFormatError, match="zero length"):
        read_all(member(b"././@PaxHeader", b"0 path=x\n", b"x") + member(b"f") + END)
    with pytest.raises(TarFormatError, match="invalid number"):
        read_all(pax({"size": "12abc"}) + member(b"f") + END)


@pytest.mark.parametrize("kind", [b"x", b"L", b"K", b"g"])
def test_metadata_records_are_capped(kind: bytes) -> None:
    archive = header(b"././@Meta", kind, MAX_META_BYTES + 1) + b"\x00" * 4096
    with pytest.raises(MetaTooLarge, match="claims"):
        read_all(archive)


def test_chains_and_dangling_metadata() -> None:
    link = member(b"././@LongLink", b"n\x00", b"L")
    with pytest.raises(TarFormatError, match=f"more than {MAX_CHAIN}"):
        read_all(link * (MAX_CHAIN + 1) + member(b"f") + END)
    with pytest.raises(TarFormatError, match="end-of-archive block after a metadata record"):
        read_all(link + END)
    with pytest.raises(TruncatedData, match="after a metadata record"):
        read_all(link)


def test_global_keys_are_bounded() -> None:
    many = [(f"k{i}", "v") for i in range(1200)]
    archive = pax(many, b"g") + member(b"a") + pax([("z", "1")], b"g") + member(b"b") + END
    with pytest.raises(MetaTooLarge, match="too many global pax header keys"):
        read_all(archive)


@pytest.mark.parametrize(
    ("cut", "message"),
    [(0, "no tar data"), (100, "without an end-of-archive block"), (700, "inside a metadata")],
)
def test_truncation(cut: int, message: str) -> None:
    archive = member(b"././@LongLink", b"n" * 900, b"L") + member(b"f") + END
    with pytest.raises(TruncatedData, match=message):
        read_all(archive[:cut])


def test_bad_checksum_names_the_offset() -> None:
    bad = bytearray(member(b"b", b"2"))
    bad[0] = ord("c")
    with pytest.raises(TarFormatError, match=r"invalid tar header at byte 1024 \(bad checksum\)"):
        read_all(member(b"a", b"1") + bytes(bad) + END)


# ---- sparse members --------------------------------------------------------------------------


@pytest.mark.parametrize("step", [None, 7])
def test_pax_sparse_01_and_00(step: int | None) -> None:
    data = b"AAAA" + b"BB"
    v01 = pax({"GNU.sparse.size": "20", "GNU.sparse.map": "2,4,16,2", "GNU.sparse.name": "s1"})
    v00 = pax(
        [
            ("GNU.sparse.size", "20"),
            ("GNU.sparse.offset", "2"),
            ("GNU.sparse.numbytes", "4"),
            ("GNU.sparse.offset", "16"),
            ("GNU.sparse.numbytes", "2"),
            ("GNU.sparse.name", "s0"),
        ]
    )
    archive = v01 + member(b"GNUSparseFile/s1", data) + v00 + member(b"x/s0", data) + END
    want = b"\x00\x00AAAA" + b"\x00" * 10 + b"BB\x00\x00"
    assert [(e.name, e.size, c) for e, c in read_all(archive, step=step)] == [
        ("s1", 20, want),
        ("s0", 20, want),
    ]


@pytest.mark.parametrize("step", [None, 7])
def test_pax_sparse_10_map_in_data(step: int | None) -> None:
    sparse_map = b"2\n0\n3\n10\n2\n".ljust(512, b"\x00")
    head = pax({"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.realsize": "16"})
    archive = head + member(b"s", sparse_map + b"abcde") + member(b"next", b"n") + END
    got = [(e.name, e.size, c) for e, c in read_all(archive, step=step)]
    assert got == [("s", 16, b"abc" + b"\x00" * 7 + b"de" + b"\x00" * 4), ("next", 1, b"n")]


@pytest.mark.parametrize("step", [None, 7])
def test_old_gnu_sparse_with_extension_block(step: int | None) -> None:
    def pair(offset: int, length: int) -> bytes:
        return b"%011o\x00%011o\x00" % (offset, length)

    slots = pair(0, 1) + pair(4, 1) + pair(8, 1) + pair(12, 1)
    ext = (pair(16, 1) + pair(20, 0)).ljust(504, b"\x00") + b"\x00" * 8
    head = header(
        b"sp", b"S", 5, magic=b"ustar  \x00", at={386: slots, 482: b"\x01", 483: b"%011o\x00" % 20}
    )
    archive = head + ext + b"abcde".ljust(512, b"\x00") + member(b"next", b"n") + END
    got = [(e.name, e.size, c) for e, c in read_all(archive, step=step)]
    expected = b"a\x00\x00\x00b\x00\x00\x00c\x00\x00\x00d\x00\x00\x00e\x00\x00\x00"
    assert got == [("sp", 20, expected), ("next", 1, b"n")]


@pytest.mark.parametrize(
    "sparse_map",
    [b"1\n0\n99\n", b"2\n8\n2\n0\n2\n", b"1\nx\n", b"999999\n" + b"1\n" * 300],
    ids=["past-the-end", "out-of-order", "not-a-number", "too-long"],
)
def test_bad_sparse_maps_skip_the_member_only(sparse_map: bytes) -> None:
    head = pax({"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.realsize": "16"})
    body = sparse_map.ljust(1024, b"\x00") + b"data"
    archive = head + member(b"s", body) + member(b"next", b"n") + END
    source = reader(archive)
    entry = source.next()
    assert entry is not None
    with pytest.raises(SparseMapError, match="invalid sparse map"):
        source.copy_data(entry, io.BytesIO())
    after = source.next()
    assert after is not None and after.name == "next"
