"""``seawall fs PATH``: a directory walked as one layer, never following a link.

Hostile trees are built here (links to the canary and to host files, FIFOs, sockets, a huge
sparse file, very deep directories, undecodable names) and walked in a child process.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from seawall.image.fsdir import open_directory, walk_directory
from seawall.image.walk import ImageError, WalkLimits
from tests.image.conftest import Sandbox


def _tree(box: Sandbox) -> Path:
    root = box.inputs / "rootfs"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_text("ID=demo\n")
    (root / "usr" / "lib").mkdir(parents=True)
    (root / "usr" / "lib" / "os-release").write_text("ID=lib\n")
    return root


def test_links_are_recorded_not_followed(sandbox: Sandbox) -> None:
    root = _tree(sandbox)
    os.symlink(sandbox.canary, root / "to-canary")
    os.symlink("/etc/hostname", root / "hostname")
    os.symlink("/etc", root / "hostetc")
    os.symlink("../../../../../../etc/passwd", root / "etc" / "passwd")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    os.link(root / "etc" / "os-release", root / "hard")
    out = sandbox.run({"kind": "dir", "path": str(root)})
    layer = out.layer()
    assert set(layer["files"]) == {"/etc/os-release", "/usr/lib/os-release", "/hard"}
    assert layer["symlinks"] == {
        "/to-canary": str(sandbox.canary),
        "/hostname": "/etc/hostname",
        "/hostetc": "/etc",
        "/etc/passwd": "../../../../../../etc/passwd",
        "/loop-a": "loop-b",
        "/loop-b": "loop-a",
    }
    assert layer["diff_id"] == "" and layer["digest"] == ""


def test_special_files_are_skipped(sandbox: Sandbox) -> None:
    root = _tree(sandbox)
    os.mkfifo(root / "fifo")  # opening it for reading would block forever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock"))
    try:
        out = sandbox.run({"kind": "dir", "path": str(root)})
    finally:
        sock.close()
    assert "/fifo" not in out.layer()["files"] and "/sock" not in out.layer()["files"]
    notes = out.notes()
    assert "/fifo: special file ignored" in notes and "/sock: special file ignored" in notes


def test_huge_sparse_file_is_not_read(sandbox: Sandbox) -> None:
    root = _tree(sandbox)
    with open(root / "huge", "wb") as fh:
        fh.truncate(500 * 1024**3)
    out = sandbox.run({"kind": "dir", "path": str(root)})
    assert "/huge" not in out.layer()["files"]
    assert f"/huge: {500 * 1024**3} bytes is over the per-file limit" in out.notes()


def test_deep_trees_and_odd_names(sandbox: Sandbox) -> None:
    root = _tree(sandbox)
    deep = root
    for _ in range(300):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "bottom").write_text("x")
    os.close(os.open(os.fsencode(root) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    out = sandbox.run({"kind": "dir", "path": str(root)})
    files = out.layer()["files"]
    assert not any(p.endswith("/bottom") for p in files)
    assert "/bad\udcff.txt" in files
    notes = out.notes()
    assert "deeper than 256 levels" in notes
    assert "/bad\\xff.txt: name is not valid UTF-8" in notes


def test_limits(sandbox: Sandbox) -> None:
    root = _tree(sandbox)
    for i in range(50):
        (root / f"f{i}").write_bytes(b"x" * 1000)
    out = sandbox.run({"kind": "dir", "path": str(root), "limits": {"max_entries": 20}})
    assert out.error and "max_entries" in out.error
    out = sandbox.run({"kind": "dir", "path": str(root), "limits": {"max_layer_bytes": 10_000}})
    assert out.error and "max_layer_bytes" in out.error
    assert list(sandbox.work.iterdir()) == []


def test_only_wanted_files_are_copied(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_text("ID=demo\n")
    (root / "etc" / "other").write_text("no\n")
    work = tmp_path / "work"
    work.mkdir()
    for memory, on_disk in ((0, 1), (WalkLimits().memory_file_bytes, 0)):
        walk = walk_directory(
            str(root),
            wanted=lambda p: p.endswith("os-release"),
            tmpdir=str(work),
            limits=WalkLimits(memory_file_bytes=memory),
        )
        assert list(walk.files) == ["/etc/os-release"]
        with walk.files["/etc/os-release"].opener() as fh:
            assert fh.read() == b"ID=demo\n"
        assert len(list(work.iterdir())) == on_disk  # small files are kept in memory
        shutil.rmtree(work)
        work.mkdir()


def test_open_directory(tmp_path: Path) -> None:
    image = open_directory(str(tmp_path))
    (blob,) = image.layers
    assert image.info.source == "dir" and blob.directory == str(tmp_path)
    assert blob.ref.diff_id == "" and blob.stat_key is None
    with pytest.raises(ImageError):
        blob.open()
    with pytest.raises(ImageError, match="not a directory"):
        open_directory(str(tmp_path / "missing"))
    with pytest.raises(ImageError, match="cannot open as a directory"):
        walk_directory(str(tmp_path / "missing"), wanted=lambda p: True, tmpdir=str(tmp_path))
