"""The streaming tar reader against Python's tarfile, and on mutated archives.

The differential property test writes random archives with tarfile (ustar, GNU and pax; long
names and links, unicode and undecodable names, every member type, global pax headers) and
checks that ``TarReader`` yields what tarfile reads back: name, type, size, mode, link target
and the content of the files it copies (the others are skipped). The mutation test flips
bytes of an archive using every feature (optionally fixing the checksums, to get past them)
and cuts it short: a walk either succeeds or raises one ``ImageError``, nothing else.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seawall.image.layers import walk_layer
from seawall.image.walk import ImageError
from tests.image.tarblocks import END, Dribble, header, member, pax, read_all

# ---- differential: tarfile writes, both read -----------------------------------------------

_SEGMENT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019._-é中🙂 ")), min_size=1, max_size=40
).filter(lambda s: s not in (".", ".."))
_UNDECODABLE = st.sampled_from(["bad\udcff", "x\udcc3\udca9y"])
_NAME = st.lists(st.one_of(_SEGMENT, _UNDECODABLE), min_size=1, max_size=8).map("/".join)
_KINDS = ["file", "dir", "symlink", "hardlink", "fifo", "chr", "blk"]
_TYPE = {
    "file": tarfile.REGTYPE,
    "dir": tarfile.DIRTYPE,
    "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE,
    "fifo": tarfile.FIFOTYPE,
    "chr": tarfile.CHRTYPE,
    "blk": tarfile.BLKTYPE,
}


@dataclass(frozen=True)
class _Member:
    name: str
    kind: str
    mode: int
    data: bytes
    link: str
    wanted: bool


_MEMBER = st.builds(
    _Member,
    name=st.one_of(_NAME, _NAME.map(lambda n: ("deep/" * 30) + n)),
    kind=st.sampled_from(_KINDS),
    mode=st.integers(0, 0o7777),
    data=st.one_of(st.binary(max_size=1500), st.binary(min_size=9000, max_size=12000)),
    link=st.one_of(st.just(""), _NAME, _NAME.map(lambda n: "l/" * 60 + n)),
    wanted=st.booleans(),
)


def _write(members: list[_Member], fmt: int, global_pax: bool) -> bytes:
    """The archive tarfile writes (members it refuses in this format are left out)."""
    buf = io.BytesIO()
    pax = {"comment": "made by the test", "note": "ü"} if global_pax else None
    with tarfile.open(
        fileobj=buf,
        mode="w",
        format=fmt,
        encoding="utf-8",
        errors="surrogateescape",
        pax_headers=pax,
    ) as tar:
        for m in members:
            info = tarfile.TarInfo(m.name)
            info.type, info.mode, info.mtime = _TYPE[m.kind], m.mode, 1_700_000_000
            info.linkname = m.link if m.kind in ("symlink", "hardlink") else ""
            info.devmajor, info.devminor = (8, 1) if m.kind in ("chr", "blk") else (0, 0)
            info.size = len(m.data) if m.kind == "file" else 0
            try:  # a ustar archive cannot hold every name; the header is built before writing
                tar.addfile(info, io.BytesIO(m.data) if m.kind == "file" else None)
            except (ValueError, UnicodeError):
                continue
    return buf.getvalue()


@settings(max_examples=100, deadline=None)
@given(
    members=st.lists(_MEMBER, max_size=12),
    fmt=st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]),
    global_pax=st.booleans(),
    step=st.sampled_from([None, 1, 7, 511, 513, 5000]),
)
def test_same_members_as_tarfile(
    members: list[_Member], fmt: int, global_pax: bool, step: int | None
) -> None:
    data = _write(members, fmt, global_pax and fmt == tarfile.PAX_FORMAT)
    wanted = {i for i, m in enumerate(members) if m.wanted}
    ours = read_all(data, wanted, step)
    try:
        tar = tarfile.open(  # noqa: SIM115 - closed by the with below
            fileobj=io.BytesIO(data), mode="r:", encoding="utf-8", errors="surrogateescape"
        )
    except tarfile.ReadError:  # tarfile cannot read a global header followed by no member
        assert ours == []
        return
    with tar:
        theirs = tar.getmembers()
        assert len(ours) == len(theirs)
        for i, ((entry, content), info) in enumerate(zip(ours, theirs, strict=True)):
            assert (entry.name, bytes([entry.type]), entry.size, entry.mode, entry.linkname) == (
                info.name,
                info.type,
                info.size,
                info.mode,
                info.linkname,
            )
            if content is not None:
                fh = tar.extractfile(info)
                assert fh is not None
                assert content == fh.read()
            else:
                assert i not in wanted or not info.isreg()


# ---- mutated archives: an ImageError or a walk, never another exception ----------------------


def _fuzz_base() -> tuple[bytes, list[int]]:
    """An archive using every feature, and the offsets of its header blocks."""
    sparse_10 = pax({"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.realsize": "40"})
    parts = [
        pax({"comment": "x"}, b"g"),
        pax({"path": "p/" * 60 + "long", "size": "5"}),
        header(b"short", size=5) + b"12345".ljust(512, b"\x00"),
        member(b"././@LongLink", b"gnu/" * 40 + b"name\x00", b"L"),
        member(b"x", b"abc"),
        member(b"file", b"x" * 700, prefix=b"pre/fix"),
        sparse_10,
        member(b"sp", b"1\n4\n3\n".ljust(512, b"\x00") + b"abc"),
        header(b"ln", b"1", link=b"pre/fix/file"),
        header(b"sym", b"2", link=b"../up"),
        header(b"dir/", b"5"),
        member(b"vol", b"v" * 30, b"V"),
    ]
    offsets, at = [], 0
    for part in parts:
        offsets.append(at)
        at += len(part)
    return b"".join(parts) + END, offsets


_BASE, _HEADERS = _fuzz_base()


def _rechecksum(data: bytearray, offset: int) -> None:
    data[offset + 148 : offset + 156] = b" " * 8
    data[offset + 148 : offset + 156] = b"%06o\x00 " % (sum(data[offset : offset + 512]) & 0o777777)


@settings(max_examples=300, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_BASE) - 1), st.integers(0, 255)), min_size=1, max_size=6
    ),
    fix_checksums=st.booleans(),
    cut=st.one_of(st.none(), st.integers(0, len(_BASE))),
    step=st.sampled_from([1000, 4096, 1 << 20]),
)
def test_mutated_archives_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory,
    edits: list[tuple[int, int]],
    fix_checksums: bool,
    cut: int | None,
    step: int,
) -> None:
    data = bytearray(_BASE)
    for offset, value in edits:
        data[offset] = value
    if fix_checksums:
        for offset in _HEADERS:
            _rechecksum(data, offset)
    blob = bytes(data[:cut])
    tmp = tmp_path_factory.mktemp("fuzz")
    error = None
    try:
        walk_layer(Dribble(blob, step), wanted=lambda p: True, tmpdir=str(tmp))
    except ImageError as exc:
        error = str(exc)
    if error is not None:
        assert "\n" not in error
        assert list(tmp.iterdir()) == []


def test_the_fuzz_base_reads_whole(tmp_path: Path) -> None:
    walk = walk_layer(io.BytesIO(_BASE), wanted=lambda p: True, tmpdir=str(tmp_path))
    assert set(walk.files) == {
        "/" + "p/" * 60 + "long",
        "/" + "gnu/" * 40 + "name",
        "/pre/fix/file",
        "/sp",
        "/ln",
    }
    assert walk.symlinks == {"/sym": "../up"} and walk.notes == [
        "/vol: entry of tar type b'V' ignored"
    ]
    with walk.files["/sp"].opener() as fh:
        assert fh.read() == b"\x00" * 4 + b"abc" + b"\x00" * 33
