"""Setuid/setgid detection over a docker-save stream, whiteouts applied, plus hostile exports."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from seawall.docker.image_files import setuid_files


def _layer(files: dict[str, int]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, mode in files.items():
            info = tarfile.TarInfo(name)
            info.mode = mode
            info.size = 0
            t.addfile(info, io.BytesIO(b""))
    return buf.getvalue()


def _export(layers: list[dict[str, int]], manifest_first: bool = False) -> io.BytesIO:
    buf = io.BytesIO()
    names = [f"l{i}/layer.tar" for i in range(len(layers))]
    manifest = json.dumps([{"Config": "c.json", "RepoTags": [], "Layers": names}]).encode()
    with tarfile.open(fileobj=buf, mode="w") as t:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))

        if manifest_first:
            add("manifest.json", manifest)
        for name, files in zip(names, layers, strict=True):
            add(name, _layer(files))
        if not manifest_first:
            add("manifest.json", manifest)
    buf.seek(0)
    return buf


def test_finds_setuid_and_setgid_in_final_filesystem() -> None:
    stream = _export(
        [
            {"bin/su": 0o4755, "bin/ls": 0o755, "usr/bin/wall": 0o2755, "opt/x/suid": 0o4700},
            {"bin/.wh.su": 0, "opt/x/.wh..wh..opq": 0, "usr/bin/newgrp": 0o4755},
        ]
    )
    assert setuid_files(stream) == ["/usr/bin/newgrp", "/usr/bin/wall"]


def test_rewritten_without_bit_is_clean_and_order_follows_manifest() -> None:
    stream = _export([{"bin/passwd": 0o4755}, {"bin/passwd": 0o755}], manifest_first=True)
    assert setuid_files(stream) == []


def test_path_tricks_stay_inside_the_image() -> None:
    stream = _export([{"../../etc/shadow": 0o4755, "./a/../b": 0o4755}])
    assert setuid_files(stream) == ["/b", "/etc/shadow"]  # normalised image paths, nothing written


@pytest.mark.parametrize("data", [b"", b"not a tar at all" * 100])
def test_garbage_export_raises_cleanly(data: bytes) -> None:
    with pytest.raises((tarfile.TarError, ValueError)):
        setuid_files(io.BytesIO(data))


def test_missing_manifest_or_layer() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("x/layer.tar")
        data = _layer({"a": 0o4755})
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    buf.seek(0)
    with pytest.raises(ValueError, match="no manifest"):
        setuid_files(buf)
