"""OCI layouts: platform choice in image indexes (nested, attestations), tags, docker-archive
selection, and the same multi-arch layout copied with ``skopeo copy --all`` into a tar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seawall.errors import UsageError
from seawall.image.archive import open_docker_archive
from seawall.image.layers import walk_layer
from seawall.image.manifest import Platform, parse_platform
from seawall.image.open import open_image
from seawall.image.walk import ImageError
from tests.image.builders import Entry, Layout, OciImage, layer_tar, tar_directory
from tests.image.conftest import skopeo


def _image(arch: str, variant: str = "") -> OciImage:
    tar = layer_tar([Entry("etc/arch", data=f"{arch}{variant}\n".encode())])
    return OciImage([tar], platform=("linux", arch, variant))


def _arch_file(spec: str, tmp: Path, platform: str | None = None) -> str:
    image = open_image(spec, tmpdir=str(tmp), platform=platform)
    try:
        (blob,) = image.layers
        with blob.open() as fh:
            walk = walk_layer(
                fh,
                wanted=lambda p: True,
                tmpdir=str(tmp),
                expected_diff_id=blob.ref.diff_id,
                expected_digest=blob.ref.digest,
            )
        with walk.files["/etc/arch"].opener() as f:
            return f.read().decode().strip()
    finally:
        image.close()


@pytest.fixture
def multiarch(tmp_path: Path) -> Path:
    """amd64 and arm64/v8 in a nested index, arm/v7 at the top, plus an attestation."""
    root = tmp_path / "multi"
    lay = Layout(root)
    amd = lay.image(_image("amd64"))
    arm64 = lay.image(_image("arm64", "v8"))
    arm7 = lay.image(_image("arm", "v7"))
    attest = {
        **lay.image(_image("amd64")),
        "platform": {"os": "unknown", "architecture": "unknown"},
    }
    nested = lay.index_blob([arm64, amd, attest])
    lay.write_index(
        [
            {**nested, "annotations": {"org.opencontainers.image.ref.name": "multi"}},
            {
                **arm7,
                "annotations": {
                    "org.opencontainers.image.ref.name": "armonly",
                    "io.containerd.image.name": "example.com/team/app:armonly",
                },
            },
        ]
    )
    return root


def test_platform_choice(multiarch: Path, tmp_path: Path) -> None:
    spec = f"oci:{multiarch}:multi"
    assert _arch_file(spec, tmp_path) == "amd64"  # the default
    assert _arch_file(spec, tmp_path, "linux/arm64") == "arm64v8"
    assert _arch_file(spec, tmp_path, "linux/arm64/v8") == "arm64v8"
    assert _arch_file(f"oci:{multiarch}:armonly", tmp_path) == "armv7"
    full = f"oci:{multiarch}:example.com/team/app:armonly"
    assert _arch_file(full, tmp_path) == "armv7"
    image = open_image(spec, tmpdir=str(tmp_path), platform="linux/arm64")
    try:
        assert image.info.tags == ("multi",) and image.info.architecture == "arm64"
    finally:
        image.close()
    with pytest.raises(ImageError, match=r"no image for platform linux/s390x \(available: "):
        open_image(spec, tmpdir=str(tmp_path), platform="linux/s390x")
    with pytest.raises(ImageError, match=r"no image tagged 'nope'.*armonly, example.com"):
        open_image(f"oci:{multiarch}:nope", tmpdir=str(tmp_path))
    # Without a tag the layout holds several images: amd64 is the default among them.
    assert _arch_file(f"oci:{multiarch}", tmp_path) == "amd64"
    with pytest.raises(ImageError, match=r"linux/amd64 \(available: linux/arm/v7\)"):
        open_image(f"oci:{multiarch}:armonly", tmpdir=str(tmp_path), platform="linux/amd64")


def test_unlabelled_entry_is_checked_against_its_config(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "one")
    desc = lay.image(_image("arm64"))
    del desc["platform"]
    lay.write_index([desc])
    assert _arch_file(f"oci:{lay.root}", tmp_path, "linux/arm64") == "arm64"
    with pytest.raises(ImageError, match="the image is linux/arm64, not linux/amd64"):
        open_image(f"oci:{lay.root}", tmpdir=str(tmp_path), platform="linux/amd64")


def test_skopeo_copy_all_into_an_oci_archive(multiarch: Path, tmp_path: Path) -> None:
    archive = tmp_path / "multi.tar"
    skopeo("--all", f"oci:{multiarch}:multi", f"oci-archive:{archive}:multi")
    assert _arch_file(f"oci-archive:{archive}", tmp_path, "linux/arm64") == "arm64v8"
    assert _arch_file(f"oci-archive:{archive}:multi", tmp_path) == "amd64"


def test_nested_index_depth_is_bounded(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "deep")
    desc = lay.image(_image("amd64"))
    for _ in range(6):
        desc = lay.index_blob([desc])
    lay.write_index([desc])
    with pytest.raises(ImageError, match="nested deeper"):
        open_image(f"oci:{lay.root}", tmpdir=str(tmp_path))


def test_several_untagged_images_need_a_tag(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "two")
    one, two = lay.image(_image("amd64")), lay.image(_image("amd64"))
    lay.write_index([{k: v for k, v in d.items() if k != "platform"} for d in (one, two)])
    with pytest.raises(ImageError, match="name one by tag"):
        open_image(f"oci:{lay.root}", tmpdir=str(tmp_path))


def test_base_image_annotation_and_history_pairing(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "ann")
    tars = [layer_tar([Entry(f"f{i}", data=b"x")]) for i in range(2)]
    history = [
        {"created_by": "ADD base"},
        {"created_by": "ENV A=1", "empty_layer": True},
        {"created_by": "RUN thing"},
    ]
    desc = lay.image(
        OciImage(
            tars,
            annotations={
                "org.opencontainers.image.base.name": "docker.io/library/debian:12",
                "org.opencontainers.image.base.digest": "sha256:" + "c" * 64,
            },
            history=history,
        )
    )
    lay.write_index([desc])
    image = open_image(f"oci:{lay.root}", tmpdir=str(tmp_path))
    try:
        assert image.info.base_image == "docker.io/library/debian:12@sha256:" + "c" * 64
        assert [layer.created_by for layer in image.info.layers] == ["ADD base", "RUN thing"]
        assert [(h.created_by, h.empty_layer) for h in image.info.history] == [
            ("ADD base", False),
            ("ENV A=1", True),
            ("RUN thing", False),
        ]
        assert image.info.config == {"Env": ["PATH=/bin"]}
    finally:
        image.close()


def test_uncompressed_oci_layers_and_tar_of_a_layout(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "plain")
    lay.write_index(
        [lay.image(OciImage([layer_tar([Entry("etc/arch", data=b"plain")])], compress="none"))]
    )
    archive = tmp_path / "plain.tar"
    tar_directory(lay.root, archive)
    assert _arch_file(f"oci:{lay.root}", tmp_path) == "plain"
    assert _arch_file(f"oci-archive:{archive}", tmp_path) == "plain"


def test_docker_archive_with_several_images(tmp_path: Path) -> None:
    save = tmp_path / "two.tar"
    a, b = Layout(tmp_path / "a"), Layout(tmp_path / "b")
    a.write_index(
        [{**a.image(_image("amd64")), "annotations": {"org.opencontainers.image.ref.name": "a"}}]
    )
    b.write_index(
        [{**b.image(_image("arm64")), "annotations": {"org.opencontainers.image.ref.name": "b"}}]
    )
    skopeo(f"oci:{a.root}:a", f"docker-archive:{save}:example/a:1")
    # skopeo writes one image per archive; merge two archives' members into one manifest.
    save_b = tmp_path / "b.tar"
    skopeo(f"oci:{b.root}:b", f"docker-archive:{save_b}:example/b:1")
    merged = tmp_path / "merged"
    merged.mkdir()
    import tarfile

    manifests = []
    for path in (save, save_b):
        with tarfile.open(path) as tar:
            tar.extractall(merged, filter="data")
        manifests += json.loads((merged / "manifest.json").read_text())
    (merged / "manifest.json").write_text(json.dumps(manifests))
    both = tmp_path / "both.tar"
    tar_directory(merged, both)
    with pytest.raises(ImageError, match="holds 2 images"):
        open_docker_archive(str(both), tmpdir=str(tmp_path))
    assert _arch_file(f"docker-archive:{both}:example/b:1", tmp_path) == "arm64"
    assert _arch_file(f"docker-archive:{both}:@0", tmp_path) == "amd64"
    with pytest.raises(ImageError, match="no image tagged"):
        open_image(f"docker-archive:{both}:example/c:1", tmpdir=str(tmp_path))


def test_platform_parsing() -> None:
    assert parse_platform("linux/arm64/v8") == Platform("linux", "arm64", "v8")
    assert Platform("linux", "arm64").matches(Platform("linux", "arm64", "v8"))
    assert not Platform("linux", "arm", "v7").matches(Platform("linux", "arm", "v6"))
    for bad in ("linux", "linux/", "a/b/c/d", "Linux/AMD64"):
        with pytest.raises(UsageError):
            parse_platform(bad)


def test_docker_25_save_layout_and_linked_layer_members(tmp_path: Path) -> None:
    """``docker save`` since Docker 25 names members by digest next to an OCI layout; a layer
    stored twice is a symlink member to the first copy (both are read inside the archive)."""
    from seawall.image.open import open_input
    from tests.image.builders import sha256, write_tar

    same = layer_tar([Entry("etc/arch", data=b"docker25")])
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [sha256(same), sha256(same)]},
        }
    ).encode()
    blob = f"blobs/sha256/{sha256(same)[7:]}"
    members = {
        f"blobs/sha256/{sha256(config)[7:]}": config,
        blob: same,
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": b'{"schemaVersion": 2, "manifests": []}',
        "manifest.json": json.dumps(
            [
                {
                    "Config": f"blobs/sha256/{sha256(config)[7:]}",
                    "RepoTags": ["example/d25:1"],
                    "Layers": [blob, "legacy/layer.tar"],
                }
            ]
        ).encode(),
    }
    path = tmp_path / "d25.tar"
    write_tar(path, members, links={"legacy/layer.tar": f"../{blob}"})
    image = open_input(str(path), tmpdir=str(tmp_path))
    try:
        assert image.info.source == "docker-archive" and image.info.id == sha256(config)
        assert [layer.digest for layer in image.info.layers] == [sha256(same), None]
        for blob_ in image.layers:
            with blob_.open() as fh:
                walk = walk_layer(
                    fh,
                    wanted=lambda p: True,
                    tmpdir=str(tmp_path),
                    expected_diff_id=blob_.ref.diff_id,
                    expected_digest=blob_.ref.digest,
                )
            assert list(walk.files) == ["/etc/arch"]
    finally:
        image.close()
