"""The layer cache trusts only digests seawall computed: a tampered layer never inherits a
clean inventory, whatever the image's config claims."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from seawall.image.archive import open_docker_archive
from seawall.image.walk import ImageError
from seawall.inventory.cache import LayerCache
from seawall.inventory.catalogue import ANALYZERS
from seawall.inventory.scan import ScanOptions, scan_image

META = "usr/lib/python3/dist-packages/foo-{v}.dist-info/METADATA"


def _layer(version: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        data = f"Metadata-Version: 2.1\nName: foo\nVersion: {version}\n".encode()
        info = tarfile.TarInfo(META.format(v="1.0"))  # same path, so only the content differs
        info.size, info.mtime = len(data), 0
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _archive(path: Path, layer: bytes, claimed: str) -> None:
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [claimed]},
            "config": {},
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": ["t:1"], "Layers": ["l/layer.tar"]}]
    ).encode()
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (
            (config_name, config),
            ("l/layer.tar", layer),
            ("manifest.json", manifest),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _versions(path: Path, cache: LayerCache, tmp: Path) -> set[str]:
    img = open_docker_archive(str(path), tmpdir=str(tmp))
    try:
        inv = scan_image(
            img, ANALYZERS, ScanOptions(tmpdir=str(tmp), cache=cache), "2026-11-29T00:00:00Z"
        )
    finally:
        img.close()
    return {p.version for p in inv.packages if p.name == "foo"}


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_tampered_layer_never_inherits_the_cached_inventory(tmp_path: Path) -> None:
    cache = LayerCache(tmp_path / "cache", ANALYZERS.cache_key())
    clean, evil = _layer("1.0"), _layer("6.6")
    good = tmp_path / "good.tar"
    _archive(good, clean, _digest(clean))
    assert _versions(good, cache, tmp_path) == {"1.0"}
    assert any((tmp_path / "cache" / "layers").iterdir())

    # The config still claims the clean layer's digest: the bytes say otherwise -> refused.
    lying = tmp_path / "lying.tar"
    _archive(lying, evil, _digest(clean))
    with pytest.raises(ImageError, match="sha256"):
        _versions(lying, cache, tmp_path)

    # Honest claims for the new bytes: analysed afresh, never the cached clean result.
    honest = tmp_path / "honest.tar"
    _archive(honest, evil, _digest(evil))
    assert _versions(honest, cache, tmp_path) == {"6.6"}


def test_rewritten_file_with_new_stat_is_hashed_again(tmp_path: Path) -> None:
    cache = LayerCache(tmp_path / "cache", ANALYZERS.cache_key())
    clean, evil = _layer("1.0"), _layer("6.6")
    path = tmp_path / "image.tar"
    _archive(path, clean, _digest(clean))
    assert _versions(path, cache, tmp_path) == {"1.0"}
    # Same path, same size, tampered bytes and claims unchanged: the mtime moved, so the
    # recorded hash no longer applies and the mismatch is found.
    _archive(path, evil, _digest(clean))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    with pytest.raises(ImageError, match="sha256"):
        _versions(path, cache, tmp_path)
