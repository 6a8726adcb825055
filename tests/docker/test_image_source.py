"""The engine sources on the real engine: ``docker:REF`` (name, ID, short ID) and
``container:NAME``; missing objects and an unreachable engine give one clear error."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from seawall.docker.image_source import _repo_digest, open_container, open_engine_image
from seawall.errors import EngineError
from seawall.image.layers import walk_layer
from seawall.image.open import open_image
from seawall.image.walk import ImageError
from tests.support.engine import docker, import_image, remove_prefixed

PREFIX = f"swsrc{os.getpid()}"


@pytest.fixture(scope="module")
def image(engine: str) -> Iterator[tuple[str, str]]:
    """(tag, image ID) of a small imported image, and a stopped container changed from it."""
    tag = f"{PREFIX}/img:1"
    try:
        image_id = import_image(tag, with_sshd=False)
        docker(
            "run",
            "--name",
            f"{PREFIX}-ctr",
            tag,
            "sh",
            "-c",
            "echo changed > /etc/changed && rm /etc/group",
        )
        yield tag, image_id
    finally:
        remove_prefixed(PREFIX)


def _files(blob_open: object, tmp: Path, diff_id: str | None = None) -> dict[str, str]:
    with blob_open() as fh:  # type: ignore[operator]
        walk = walk_layer(
            fh, wanted=lambda p: p.startswith("/etc/"), tmpdir=str(tmp), expected_diff_id=diff_id
        )
    out = {}
    for path, f in walk.files.items():
        with f.opener() as content:
            out[path] = hashlib.sha256(content.read()).hexdigest()
    return out


def test_image_by_name_id_and_short_id(image: tuple[str, str], tmp_path: Path) -> None:
    tag, image_id = image
    seen = []
    work = tmp_path / "open"
    work.mkdir()
    for ref in (tag, image_id, image_id[7:19]):
        opened = open_engine_image(ref, tmpdir=str(work))
        try:
            info = opened.info
            assert info.source == "docker" and info.ref == f"docker:{ref}"
            assert info.id == image_id and info.tags == (tag,)
            (blob,) = opened.layers
            assert blob.stat_key is None and blob.ref.digest is None
            seen.append(_files(blob.open, tmp_path, blob.ref.diff_id))
        finally:
            opened.close()
        assert list(work.iterdir()) == [], "close() deletes the exported archive"
    assert seen[0] == seen[1] == seen[2] and "/etc/passwd" in seen[0]


def test_missing_image(engine: str, tmp_path: Path) -> None:
    with pytest.raises(ImageError, match=f"no image {PREFIX}/absent:1 in the local engine"):
        open_image(f"docker:{PREFIX}/absent:1", tmpdir=str(tmp_path))
    with pytest.raises(ImageError, match="in the local engine"):
        open_image(f"{PREFIX}/absent:2", tmpdir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_container_filesystem(image: tuple[str, str], tmp_path: Path) -> None:
    tag, image_id = image
    name = f"{PREFIX}-ctr"
    opened = open_container(name)
    try:
        info = opened.info
        assert info.source == "container" and info.ref == f"container:{name}"
        assert info.id == image_id and info.tags == (tag,)
        assert (info.os, info.architecture) == ("linux", "amd64")
        (blob,) = opened.layers
        assert blob.stat_key is None and blob.ref.digest is None and blob.ref.diff_id == ""
        assert blob.ref.created_by == f"container filesystem of {name}"
        files = _files(blob.open, tmp_path)
        assert files["/etc/changed"] == hashlib.sha256(b"changed\n").hexdigest()
        assert "/etc/group" not in files and "/etc/passwd" in files
        assert _files(blob.open, tmp_path) == files, "each open() streams a fresh export"
    finally:
        opened.close()


def test_missing_container_and_dead_engine(engine: str, tmp_path: Path) -> None:
    with pytest.raises(ImageError, match=f"no container {PREFIX}-nope in the local engine"):
        open_image(f"container:{PREFIX}-nope", tmpdir=str(tmp_path))
    with pytest.raises(EngineError, match=r"seawall-no-such\.sock"):
        open_image(
            "docker:anything", tmpdir=str(tmp_path), endpoint="unix:///tmp/seawall-no-such.sock"
        )


def test_repo_digest() -> None:
    digest = "sha256:" + "d" * 64
    inspect = {"RepoDigests": [f"example/app@{digest}", "other@sha256:" + "e" * 64]}
    assert _repo_digest("example/app:1", inspect) == digest
    assert _repo_digest("example/app", inspect) == digest
    assert _repo_digest(f"x@{digest}", {}) == digest
    assert _repo_digest("unknown:1", inspect) is None
    assert (
        _repo_digest(
            "localhost:5000/example/app", {"RepoDigests": [f"localhost:5000/example/app@{digest}"]}
        )
        == digest
    )
