"""The layer walker's semantics, in process: names, whiteouts, links, digests, notes, limits."""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import tarfile
from pathlib import Path

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from seawall.image.layers import walk_layer
from seawall.image.spool import MAX_NOTES, normalise, show
from seawall.image.walk import ImageError, WalkLimits
from tests.image.builders import Entry, layer_tar, sha256


def _walk(data: bytes, tmp: Path, **kw: object):  # type: ignore[no-untyped-def]
    return walk_layer(io.BytesIO(data), wanted=lambda p: True, tmpdir=str(tmp), **kw)  # type: ignore[arg-type]


def _content(walk, path: str) -> bytes:  # type: ignore[no-untyped-def]
    with walk.files[path].opener() as fh:
        data: bytes = fh.read()
        return data


def test_normalise() -> None:
    assert normalise("./usr//bin/../lib/") == "/usr/lib"
    assert normalise("/etc/passwd") == "/etc/passwd"
    assert normalise(".") == "/"
    assert normalise("a/../../b") is None
    assert normalise("../x") is None
    assert normalise("/../x") is None


@given(st.lists(st.sampled_from(["a", "b", ".", "..", "", "c.d"]), max_size=12))
def test_normalise_never_escapes(parts: list[str]) -> None:
    out = normalise("/".join(parts))
    if out is not None:
        assert out.startswith("/") and ".." not in out.split("/") and "//" not in out


def test_show_escapes() -> None:
    assert show("a\nb\udcff") == "a\\x0ab\\xff"
    assert len(show("x" * 1000)) == 240


@pytest.mark.parametrize("compress", ["none", "gzip", "zstd"])
def test_digests_per_compression(tmp_path: Path, compress: str) -> None:
    tar = layer_tar([Entry("etc/x", data=b"x" * 100)])
    blob = {
        "none": tar,
        "gzip": gzip.compress(tar),
        "zstd": zstandard.ZstdCompressor().compress(tar),
    }[compress]
    walk = _walk(blob, tmp_path, expected_diff_id=sha256(tar), expected_digest=sha256(blob))
    assert (walk.diff_id, walk.digest) == (sha256(tar), sha256(blob))
    assert _content(walk, "/etc/x") == b"x" * 100


def test_sha512_and_unknown_algorithms(tmp_path: Path) -> None:
    tar = layer_tar([Entry("f", data=b"1")])
    blob = gzip.compress(tar)
    digest = "sha512:" + hashlib.sha512(blob).hexdigest()
    walk = _walk(blob, tmp_path, expected_digest=digest, expected_diff_id=sha256(tar))
    assert walk.digest == digest and walk.diff_id == sha256(tar)
    plain = _walk(tar, tmp_path, expected_digest="sha512:" + hashlib.sha512(tar).hexdigest())
    assert plain.diff_id == sha256(tar)
    with pytest.raises(ImageError, match="unsupported digest algorithm"):
        _walk(tar, tmp_path, expected_digest="md5:" + "0" * 32)


def test_whiteouts(tmp_path: Path) -> None:
    tar = layer_tar(
        [
            Entry("etc/.wh.gone", data=b""),
            Entry("var/lib/.wh..wh..opq", data=b""),
            Entry(".wh..wh.plnk/123", data=b""),
            Entry("usr/.wh..wh.aufs", data=b""),
            Entry("x/.wh.", data=b""),
            Entry("x/.wh...", data=b""),
            Entry(".wh.top", data=b""),
        ]
    )
    walk = _walk(tar, tmp_path)
    assert walk.whiteouts == {"/etc/gone", "/top"}
    assert walk.opaque == {"/var/lib"}
    assert walk.files == {} or set(walk.files) == {"/.wh..wh.plnk/123"}
    assert sum("names no file" in n for n in walk.notes) == 2


@pytest.mark.parametrize("in_memory", [True, False], ids=["memory", "temp-files"])
def test_hard_link_outlives_a_replaced_target(tmp_path: Path, in_memory: bool) -> None:
    tar = layer_tar(
        [
            Entry("a", data=b"original"),
            Entry("b", "hardlink", link="a"),
            Entry("a", data=b"replaced"),
            Entry("c", "hardlink", link="./b"),
        ]
    )
    limits = WalkLimits() if in_memory else WalkLimits(memory_file_bytes=0)
    walk = _walk(tar, tmp_path, limits=limits)
    assert _content(walk, "/a") == b"replaced"
    assert _content(walk, "/b") == b"original" == _content(walk, "/c")
    # One copy per distinct content kept: none on disk when both fit in memory.
    assert len(list(tmp_path.iterdir())) == (0 if in_memory else 2)


def test_memory_spool_budget(tmp_path: Path) -> None:
    """Small files stay in memory until the budget is spent; the rest go to temp files."""
    tar = layer_tar(
        [
            Entry("m1", data=b"1" * 100),
            Entry("m2", data=b"2" * 100),
            Entry("m1", data=b"3" * 100),  # replaces m1: its memory is given back first
            Entry("d1", data=b"4" * 100),  # budget spent (250 - 200 left 50): a temp file
            Entry("big", data=b"5" * 101),  # over the per-file size: a temp file
            Entry("empty", data=b""),
        ]
    )
    limits = WalkLimits(memory_file_bytes=100, memory_total_bytes=250)
    walk = _walk(tar, tmp_path, limits=limits)
    expect = {"/m1": b"3" * 100, "/m2": b"2" * 100, "/d1": b"4" * 100, "/big": b"5" * 101}
    assert {p: _content(walk, p) for p in expect} == expect and _content(walk, "/empty") == b""
    assert len(list(tmp_path.iterdir())) == 2
    for path in ("/m1", "/m2"):
        with walk.files[path].opener() as fh:
            assert isinstance(fh, io.BytesIO)


def test_only_wanted_content_is_spooled(tmp_path: Path) -> None:
    tar = layer_tar(
        [
            Entry("etc/os-release", data=b"ID=x\n"),
            Entry("usr/bin/big", data=b"\0" * 100_000),
            Entry("lib/link", "symlink", link="../etc/os-release"),
        ]
    )
    walk = walk_layer(
        io.BytesIO(tar),
        wanted=lambda p: p.startswith("/etc"),
        tmpdir=str(tmp_path),
        limits=WalkLimits(memory_file_bytes=0),  # every spooled file on disk, to count them
    )
    assert list(walk.files) == ["/etc/os-release"] and walk.symlinks == {}
    assert walk.entries == 3 and len(list(tmp_path.iterdir())) == 1
    assert walk.files["/etc/os-release"].mode == 0o100644


def test_file_size_limit_and_notes_cap(tmp_path: Path) -> None:
    entries = [Entry(f"big{i}", data=b"x" * 200) for i in range(MAX_NOTES + 50)]
    walk = _walk(layer_tar(entries), tmp_path, limits=WalkLimits(max_file_bytes=100))
    assert walk.files == {}
    assert len(walk.notes) == MAX_NOTES + 1
    assert walk.notes[-1] == "50 more notes like the above were not listed"


def test_openers_are_picklable(tmp_path: Path) -> None:
    walk = _walk(layer_tar([Entry("f", data=b"data")]), tmp_path)
    opener = pickle.loads(pickle.dumps(walk.files["/f"].opener))  # noqa: S301 - our own bytes
    with opener() as fh:
        assert fh.read() == b"data"


def test_long_names_and_chained_headers(tmp_path: Path) -> None:
    long = "d/" * 60 + "file.txt"  # over 100 bytes: GNU long name / pax path
    for fmt in (tarfile.GNU_FORMAT, tarfile.PAX_FORMAT):
        walk = _walk(layer_tar([Entry(long, data=b"1")], fmt), tmp_path)
        assert list(walk.files) == ["/" + long]
    # Thousands of chained pax headers: refused as corrupt, not a crash.
    pax = layer_tar([Entry("x", data=b"")], tarfile.PAX_FORMAT)
    record = b"30 path=" + b"p" * 21 + b"\n"
    head = bytearray(pax[:512])
    head[0:100] = b"././@PaxHeader".ljust(100, b"\0")
    head[156:157] = b"x"
    head[124:136] = b"%011o\x00" % len(record)
    head[148:156] = b" " * 8
    head[148:156] = b"%06o\x00 " % sum(head)
    chain = (bytes(head) + record.ljust(512, b"\0")) * 5000
    with pytest.raises(ImageError, match="corrupt"):
        _walk(chain + b"\0" * 1024, tmp_path)


def test_many_global_pax_headers_are_bounded(tmp_path: Path) -> None:
    pax = layer_tar([Entry("x", data=b"")], tarfile.PAX_FORMAT)
    blocks = []
    for i in range(1500):
        record = b"key%04d=v\n" % i
        line = b"%d " % (len(record) + 3) + record
        head = bytearray(pax[:512])
        head[0:100] = b"pax_global_header".ljust(100, b"\0")
        head[156:157] = b"g"
        head[124:136] = b"%011o\x00" % len(line)
        head[148:156] = b" " * 8
        head[148:156] = b"%06o\x00 " % sum(head)
        # Each global header is followed by a member, so they do not chain (which recurses).
        blocks.append(bytes(head) + line.ljust(512, b"\0") + pax[:512])
    with pytest.raises(ImageError, match="too many global pax header keys"):
        _walk(b"".join(blocks) + pax, tmp_path)
