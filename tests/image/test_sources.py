"""The local image sources agree: engine, docker save (plain, gzip), OCI dir, OCI archive, zstd.

One real image (built on the engine) is read from each form; the layer diff IDs and what the
walker finds in every layer (files and their content, symlinks, whiteouts, opaque dirs) must
be identical. Metadata that legitimately differs (config digest after skopeo's conversion to
the OCI config format, blob digests, media types) is checked per form.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pytest

from seawall.errors import UsageError
from seawall.image.layers import walk_layer
from seawall.image.open import PREFIXES, is_reference, open_image, open_input, split_location
from seawall.image.walk import ImageError
from tests.image.conftest import Forms


def walk_image(spec: str) -> tuple[Any, list[dict[str, Any]]]:
    """Open ``spec`` and walk every layer (all files wanted); return (info, summaries)."""
    with tempfile.TemporaryDirectory() as tmp:
        image = open_image(spec, tmpdir=tmp)
        try:
            layers = []
            for blob in image.layers:
                with blob.open() as fh:
                    walk = walk_layer(
                        fh,
                        wanted=lambda p: True,
                        tmpdir=tmp,
                        expected_diff_id=blob.ref.diff_id,
                        expected_digest=blob.ref.digest,
                    )
                files = {}
                for path, f in walk.files.items():
                    with f.opener() as content:
                        files[path] = (
                            f.size,
                            oct(f.mode),
                            hashlib.sha256(content.read()).hexdigest(),
                        )
                layers.append(
                    {
                        "diff_id": walk.diff_id,
                        "files": files,
                        "symlinks": walk.symlinks,
                        "whiteouts": walk.whiteouts,
                        "opaque": walk.opaque,
                        "notes": walk.notes,
                    }
                )
            return image.info, layers
        finally:
            image.close()


@pytest.fixture(scope="module")
def walked(forms: Forms) -> dict[str, tuple[Any, list[dict[str, Any]]]]:
    """Every form, opened and walked once."""
    return {name: walk_image(spec) for name, spec in forms.specs().items()}


def test_all_forms_agree(walked: dict[str, tuple[Any, list[dict[str, Any]]]]) -> None:
    reference_info, reference_layers = walked["docker"]
    assert len(reference_layers) == 4
    for name, (info, layers) in walked.items():
        assert [layer.diff_id for layer in info.layers] == [
            layer.diff_id for layer in reference_info.layers
        ], name
        assert layers == reference_layers, name
        assert [layer.created_by for layer in info.layers] == [
            layer.created_by for layer in reference_info.layers
        ], name
        assert (info.os, info.architecture) == ("linux", "amd64"), name
        assert [h.created_by for h in info.history] == [
            h.created_by for h in reference_info.history
        ], name


def test_layer_content_is_what_the_build_did(
    walked: dict[str, tuple[Any, list[dict[str, Any]]]], forms: Forms
) -> None:
    info, layers = walked["docker"]
    first, app, extra, opt = layers
    assert "/bin/busybox" in first["files"] and first["symlinks"]["/bin/sh"] == "busybox"
    # A hard link in the same layer resolves to the linked content; the symlink stays raw.
    assert app["files"]["/app/lib/META-HARD"] == app["files"]["/app/lib/METADATA"]
    assert app["symlinks"]["/app/lib/META-LINK"] == "METADATA"
    assert extra["whiteouts"] == {"/etc/group"}
    assert "/opt/o/two" in opt["files"] and "/opt/o/one" not in opt["files"]
    assert opt["opaque"] == {"/opt/o"} or "/opt/o" in opt["whiteouts"]
    assert info.layers[1].created_by.startswith("/bin/sh -c mkdir -p /app/lib")
    # The LABEL step made no layer: it is in the history, not paired with a layer.
    assert len(info.history) == 5 and info.history[-1].empty_layer
    assert info.base_image == forms.base_ref
    assert info.id == forms.image_id and info.tags == (forms.ref,)
    assert all(not layer["notes"] for layer in layers)


def test_metadata_per_form(walked: dict[str, tuple[Any, list[dict[str, Any]]]]) -> None:
    sources = {name: info.source for name, (info, _) in walked.items()}
    assert sources == {
        "docker": "docker",
        "docker-archive": "docker-archive",
        "docker-archive-gz": "docker-archive",
        "oci": "oci",
        "oci-archive": "oci-archive",
        "oci-zstd": "oci",
    }
    oci_info = walked["oci"][0]
    assert oci_info.digest and oci_info.digest.startswith("sha256:")
    assert oci_info.tags == ("v1",)
    assert {layer.media_type for layer in oci_info.layers} == {
        "application/vnd.oci.image.layer.v1.tar+gzip"
    }
    assert {layer.media_type for layer in walked["oci-zstd"][0].layers} == {
        "application/vnd.oci.image.layer.v1.tar+zstd"
    }
    # Blob digests are claimed (and verified by the walker) for OCI; docker save has none.
    assert all(layer.digest for layer in oci_info.layers)
    assert walked["docker"][0].layers[0].digest is None


def test_stat_keys(forms: Forms, tmp_path: Path) -> None:
    for spec in (
        f"docker-archive:{forms.save}",
        f"oci:{forms.oci_dir}",
        f"oci-archive:{forms.oci_archive}",
    ):
        first = open_image(spec, tmpdir=str(tmp_path))
        again = open_image(spec, tmpdir=str(tmp_path))
        try:
            keys = [b.stat_key for b in first.layers]
            assert all(keys) and keys == [b.stat_key for b in again.layers], spec
            assert len(set(keys)) == len(keys)
        finally:
            first.close()
            again.close()
    gz = open_image(f"docker-archive:{forms.save_gz}", tmpdir=str(tmp_path))
    again = open_image(f"docker-archive:{forms.save_gz}", tmpdir=str(tmp_path))
    try:
        # The decompressed copy is new each time; the key names the compressed file.
        assert [b.stat_key for b in gz.layers] == [b.stat_key for b in again.layers]
    finally:
        gz.close()
        again.close()
    assert list(tmp_path.iterdir()) == [], "close() leaves no temp file behind"
    docker_image = open_image(f"docker:{forms.ref}", tmpdir=str(tmp_path))
    try:
        assert all(b.stat_key is None for b in docker_image.layers)
    finally:
        docker_image.close()
    assert list(tmp_path.iterdir()) == []


def test_open_input_detects_the_format(forms: Forms, tmp_path: Path) -> None:
    cases = {
        forms.save: "docker-archive",
        forms.save_gz: "docker-archive",
        forms.oci_archive: "oci-archive",
        forms.oci_dir: "oci",
    }
    for path, source in cases.items():
        image = open_input(str(path), tmpdir=str(tmp_path))
        try:
            assert image.info.source == source
            assert len(image.layers) == 4
        finally:
            image.close()
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"\x00" * 1024)
    with pytest.raises(ImageError, match="neither a docker save archive"):
        open_input(str(bogus), tmpdir=str(tmp_path))
    with pytest.raises(ImageError, match="without oci-layout"):
        open_input(str(tmp_path), tmpdir=str(tmp_path))


def test_bare_reference_means_the_engine(forms: Forms, tmp_path: Path) -> None:
    image = open_image(forms.ref, tmpdir=str(tmp_path))
    try:
        assert image.info.source == "docker" and image.info.ref == forms.ref
    finally:
        image.close()


def test_spec_parsing(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        open_image("dockerarchive:/tmp/x.tar", tmpdir=str(tmp_path))
    assert all(f"{p}:" in str(err.value) for p in PREFIXES)
    with pytest.raises(UsageError):
        open_image("Not A Reference!", tmpdir=str(tmp_path))
    with pytest.raises(UsageError, match="needs a path"):
        open_image("oci:", tmpdir=str(tmp_path))
    with pytest.raises(UsageError, match="platform"):
        open_image("oci:/x", tmpdir=str(tmp_path), platform="linux")
    with pytest.raises(ImageError, match="no such file"):
        open_image(f"docker-archive:{tmp_path}/missing.tar", tmpdir=str(tmp_path))
    for ref in (
        "alpine",
        "alpine:3.19",
        "localhost:5000/a/b:tag",
        "a@sha256:" + "a" * 64,
        "sha256:" + "b" * 64,
    ):
        assert is_reference(ref), ref
    for ref in ("x:/path", "UPPER", "a b", "a:tag/with/slash"):
        assert not is_reference(ref), ref
    odd = tmp_path / "with:colon"
    odd.mkdir()
    assert split_location(f"{odd}") == (str(odd), None)
    assert split_location(f"{odd}:v1") == (str(odd), "v1")
    assert split_location("/nowhere:tag") == ("/nowhere:tag", None)
