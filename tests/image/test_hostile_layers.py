"""Hostile layer blobs, each built here and walked in a child process.

Every case checks, besides its verdict: nothing written to the canary directory (the target
of the escapes), nothing written outside seawall's temp dir, no host file content in what the
walk returns, peak RSS under 500 MiB and a time bound (``Sandbox.run``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tarfile

import pytest

from tests.image.builders import (
    Entry,
    gzip_bomb,
    layer_tar,
    many_files_tar,
    sha256,
    size_field,
    zstd_bomb,
)
from tests.image.conftest import Sandbox


def _junk(seed: int, size: int) -> bytes:
    """Deterministic garbage (a hash chain), the same on every run."""
    out, block = bytearray(), hashlib.sha256(b"%d" % seed).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def _layer(box: Sandbox, data: bytes, name: str = "layer.tar") -> str:
    path = box.inputs / name
    path.write_bytes(data)
    return str(path)


def test_escaping_names_and_links(sandbox: Sandbox) -> None:
    canary = str(sandbox.canary)
    tar = layer_tar(
        [
            Entry("../canary/dotdot", data=b"x"),
            Entry("a/../../canary/climb", data=b"x"),
            Entry(f"{canary}/absolute", data=b"inside"),
            Entry("evil", "symlink", link=canary),
            Entry("evil/payload", data=b"through the link"),
            Entry("hostlink", "symlink", link="/etc/hostname"),
            Entry("hl-up", "hardlink", link="../../canary/x"),
            Entry("hl-host", "hardlink", link="/etc/hostname"),
            Entry("loop1", "symlink", link="loop2"),
            Entry("loop2", "symlink", link="loop1"),
            Entry("self", "hardlink", link="self"),
        ]
    )
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, tar), "diff_id": sha256(tar)})
    assert out.error is None
    layer = out.layer()
    # Absolute names are read relative to the image root; the symlink is data, never followed.
    assert set(layer["files"]) == {f"{canary}/absolute", "/evil/payload"}
    assert layer["symlinks"] == {
        "/evil": canary,
        "/hostlink": "/etc/hostname",
        "/loop1": "loop2",
        "/loop2": "loop1",
    }
    notes = out.notes()
    assert "../canary/dotdot: its name climbs out" in notes
    assert "a/../../canary/climb: its name climbs out" in notes
    assert "/hl-up: hard link climbs out" in notes
    assert "/hl-host: hard link to /etc/hostname, whose content was not kept" in notes
    assert "/self: hard link to /self" in notes
    assert "1 entries had absolute names" in notes


def test_devices_and_fifos_are_ignored(sandbox: Sandbox) -> None:
    tar = layer_tar(
        [
            Entry("dev/null", "chr"),
            Entry("dev/sda", "blk"),
            Entry("run/pipe", "fifo"),
            Entry("etc/ok", data=b"ok"),
        ]
    )
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, tar)})
    assert set(out.layer()["files"]) == {"/etc/ok"}
    notes = out.notes()
    for text in ("/dev/null: character device", "/dev/sda: block device", "/run/pipe: FIFO"):
        assert text in notes


@pytest.mark.parametrize("fmt", [tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_invalid_utf8_names(sandbox: Sandbox, fmt: int) -> None:
    tar = layer_tar([Entry("bad\udcff\udcfe.txt", data=b"kept"), Entry("ok", data=b"1")], fmt)
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, tar)})
    files = out.layer()["files"]
    assert "/bad\udcff\udcfe.txt" in files and "/ok" in files
    assert "/bad\\xff\\xfe.txt: name is not valid UTF-8" in out.notes()


def test_duplicate_entries_last_wins(sandbox: Sandbox) -> None:
    tar = layer_tar(
        [
            Entry("dup", data=b"first"),
            Entry("dup", data=b"second!"),
            Entry("was-file", data=b"x"),
            Entry("was-file", "dir"),
            Entry("was-link", "symlink", link="/x"),
            Entry("was-link", data=b"now a file"),
            Entry("hard", "hardlink", link="dup"),
        ]
    )
    # Spooled to temp files (no in-memory budget), so the cleanup of replaced ones shows.
    out = sandbox.run(
        {"kind": "layer", "path": _layer(sandbox, tar), "limits": {"memory_file_bytes": 0}}
    )
    files = out.layer()["files"]
    assert files["/dup"]["size"] == 7 and files["/hard"]["sha256"] == files["/dup"]["sha256"]
    assert "/was-file" not in files and files["/was-link"]["size"] == 10
    assert out.layer()["symlinks"] == {}
    assert "/dup: duplicate entry in the layer; the last one wins" in out.notes()
    # The replaced spool file was deleted: one temp file per distinct content kept.
    assert len(list(sandbox.work.iterdir())) == 2


def test_deep_and_long_paths(sandbox: Sandbox) -> None:
    deep = "d/" * 300 + "deep.txt"
    long = "l" * 5000
    tar = layer_tar([Entry(deep, data=b"x"), Entry(long, data=b"y"), Entry("fine", data=b"z")])
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, tar)})
    assert set(out.layer()["files"]) == {"/fine"}
    notes = out.notes()
    assert "deeper than 256 levels" in notes
    assert "skipped an entry with a 5000-character name" in notes


def test_many_files_stay_in_bounded_memory(sandbox: Sandbox) -> None:
    tar = many_files_tar(50_000)
    out = sandbox.run(
        {"kind": "layer", "path": _layer(sandbox, gzip.compress(tar, 1)), "wanted": "000"}
    )
    assert out.error is None and out.layer()["entries"] == 50_000
    assert len(out.layer()["files"]) == 49  # /d1/f1000, /d2/f2000, ...


def test_entry_limit(sandbox: Sandbox) -> None:
    tar = many_files_tar(5_000)
    limits = {"max_entries": 1_000, "memory_file_bytes": 0}  # spooled files on disk
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, tar), "limits": limits})
    assert out.error and "entries: 1001 is over the limit of 1000 (max_entries)" in out.error
    assert list(sandbox.work.iterdir()) == []


@pytest.mark.parametrize("bomb", [gzip_bomb, zstd_bomb], ids=["gzip", "zstd"])
def test_decompression_bomb_stops_at_the_limit(sandbox: Sandbox, bomb: object) -> None:
    data = bomb(32 * 1024**3)  # type: ignore[operator]
    assert len(data) < 48 * 1024**2
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, data)})
    assert out.error and "decompression bomb" in out.error and "max_ratio" in out.error
    assert out.seconds < 10
    assert list(sandbox.work.iterdir()) == []


def test_layer_size_limit(sandbox: Sandbox) -> None:
    data = gzip_bomb(512 * 1024**2)
    out = sandbox.run(
        {
            "kind": "layer",
            "path": _layer(sandbox, data),
            "limits": {"max_layer_bytes": 100 * 1024**2, "max_ratio": 10**6},
        }
    )
    assert out.error and "max_layer_bytes" in out.error


def _sparse_tar(box: Sandbox, fmt: str, size: int, marker_at: int) -> str:
    src = box.inputs / f"src-{fmt}"
    src.mkdir()
    with open(src / "sparse", "wb") as fh:
        fh.truncate(size)
        fh.seek(marker_at)
        fh.write(b"hello")
    out = box.inputs / f"sparse-{fmt}.tar"
    if shutil.which("tar") is None:
        pytest.fail("GNU tar is required to build sparse tar entries")
    subprocess.run(
        ["tar", "--sparse", f"--format={fmt}", "-C", str(src), "-cf", str(out), "sparse"],
        check=True,
    )
    shutil.rmtree(src)
    return str(out)


@pytest.mark.parametrize("fmt", ["gnu", "posix"])
def test_huge_sparse_file_is_skipped(sandbox: Sandbox, fmt: str) -> None:
    path = _sparse_tar(sandbox, fmt, 200 * 1024**3, 100 * 1024**3)
    assert os.path.getsize(path) < 1024**2
    out = sandbox.run({"kind": "layer", "path": path})
    assert out.error is None and out.layer()["files"] == {}
    assert f"/sparse: {200 * 1024**3} bytes is over the per-file limit" in out.notes()


@pytest.mark.parametrize("size", [8 * 1024**2, 200 * 1024], ids=["temp-file", "in-memory"])
@pytest.mark.parametrize("fmt", ["gnu", "posix"])
def test_small_sparse_file_is_read_whole(sandbox: Sandbox, fmt: str, size: int) -> None:
    # Holes in the middle and at the end, spooled to a temp file or kept in memory.
    path = _sparse_tar(sandbox, fmt, size, size // 2)
    out = sandbox.run({"kind": "layer", "path": path})
    expected = bytearray(size)
    expected[size // 2 : size // 2 + 5] = b"hello"
    assert out.layer()["files"]["/sparse"]["sha256"] == sha256(bytes(expected))[7:]


def test_oversized_pax_header_is_refused_before_reading(sandbox: Sandbox) -> None:
    head = bytearray(layer_tar([Entry("x", data=b"")], tarfile.GNU_FORMAT)[:512])
    head[156:157] = b"x"  # a pax extended header...
    head[124:136] = size_field(8 * 1024**3)  # ...claiming 8 GiB
    head[148:156] = b" " * 8
    head[148:156] = b"%06o\x00 " % sum(head)
    data = gzip.compress(bytes(head)) + gzip_bomb(1024**3)
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, data)})
    assert out.error and "corrupt: a tar metadata record claims" in out.error


def test_digest_mismatch(sandbox: Sandbox) -> None:
    tar = bytearray(layer_tar([Entry("etc/data", data=b"A" * 100)]))
    diff_id = sha256(bytes(tar))
    blob = gzip.compress(bytes(tar))
    tar[600] ^= 0x01  # one bit of file content: still a valid tar
    request = {"kind": "layer", "path": _layer(sandbox, bytes(tar)), "diff_id": diff_id}
    out = sandbox.run({**request, "limits": {"memory_file_bytes": 0}})  # spooled on disk
    assert out.error and f"diff ID mismatch: the config claims {diff_id}" in out.error
    assert list(sandbox.work.iterdir()) == [], "the spooled files of a failed walk are deleted"
    tampered = gzip.compress(bytes(tar))
    out = sandbox.run(
        {"kind": "layer", "path": _layer(sandbox, tampered, "b"), "digest": sha256(blob)}
    )
    assert out.error and f"layer {sha256(blob)}: digest mismatch" in out.error


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda t: t[: len(t) // 2], "truncated"),
        (lambda t: t[:1536], "truncated"),
        (lambda t: gzip.compress(t)[:-40], "truncated"),
        (lambda t: _junk(1, 50_000), "corrupt"),
        (lambda t: b"\x1f\x8b" + _junk(2, 50_000), "corrupt"),
        (lambda t: b"\x28\xb5\x2f\xfd" + _junk(3, 50_000), "corrupt"),
        (lambda t: t[:1024] + _junk(4, 4096), "corrupt"),
        (lambda t: b"", "truncated"),
        (lambda t: gzip.compress(t) + b"trailing garbage", "corrupt"),
    ],
    ids=[
        "half",
        "at-header",
        "gzip-cut",
        "garbage",
        "gzip-garbage",
        "zstd-garbage",
        "garbage-after-header",
        "empty",
        "gzip-trailer",
    ],
)
def test_truncated_and_garbage_layers(sandbox: Sandbox, make: object, kind: str) -> None:
    tar = layer_tar([Entry("a", data=os.urandom(3000)), Entry("b", data=b"x" * 5000)])
    request = {"kind": "layer", "path": _layer(sandbox, make(tar))}  # type: ignore[operator]
    out = sandbox.run({**request, "limits": {"memory_file_bytes": 0}})  # spooled on disk
    assert out.error and out.error.startswith(f"layer (unnamed): {kind}"), out.error
    assert list(sandbox.work.iterdir()) == []


def test_gzip_padding_and_multi_member_are_fine(sandbox: Sandbox) -> None:
    tar = layer_tar([Entry("a", data=b"1"), Entry("b", data=b"2")])
    data = gzip.compress(tar[:512]) + gzip.compress(tar[512:]) + b"\x00" * 700
    out = sandbox.run({"kind": "layer", "path": _layer(sandbox, data), "diff_id": sha256(tar)})
    assert out.error is None and set(out.layer()["files"]) == {"/a", "/b"}
    assert out.layer()["digest"] == sha256(data)
