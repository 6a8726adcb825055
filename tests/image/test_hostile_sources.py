"""Hostile image archives and layouts: structural damage gives one ``ImageError`` naming the
file and the problem, never a traceback, a host file, or a write outside the temp dir.

Each input is built here by hand (a ``docker save`` archive or an OCI layout) and read in a
child process through ``open_image`` plus a walk of every layer (``Sandbox.run`` checks RSS,
time, the canary and stray writes).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.image.builders import (
    Entry,
    Layout,
    OciImage,
    docker_archive_members,
    gzip_bomb,
    layer_tar,
    sha256,
    tar_directory,
    write_tar,
)
from tests.image.conftest import Sandbox

LAYERS = [
    layer_tar([Entry("etc/os-release", data=b"ID=demo\n"), Entry("bin/tool", data=b"\x7fELF")]),
    layer_tar([Entry("app/data.txt", data=b"A" * 4000)]),
]


def _members() -> dict[str, bytes]:
    return docker_archive_members(LAYERS)


def _layer_names(members: dict[str, bytes]) -> list[str]:
    return list(json.loads(members["manifest.json"])[0]["Layers"])


def _config_name(members: dict[str, bytes]) -> str:
    return str(json.loads(members["manifest.json"])[0]["Config"])


def _archive(box: Sandbox, members: dict[str, bytes], **kw: Any) -> str:
    path = box.inputs / "image.tar"
    write_tar(path, members, **kw)
    return f"docker-archive:{path}"


def _error(box: Sandbox, spec: str) -> str:
    out = box.run({"kind": "image", "spec": spec})
    assert out.error is not None, out.result
    assert "\n" not in out.error
    return out.error


def test_a_good_archive_reads(sandbox: Sandbox) -> None:
    out = sandbox.run({"kind": "image", "spec": _archive(sandbox, _members())})
    assert out.error is None
    assert out.result["info"]["diff_ids"] == [sha256(t) for t in LAYERS]
    assert set(out.layer(1)["files"]) == {"/app/data.txt"}


def test_missing_or_unparsable_manifest(sandbox: Sandbox) -> None:
    members = _members()
    del members["manifest.json"]
    assert "no manifest.json" in _error(sandbox, _archive(sandbox, members))
    for bad, message in (
        (b"{not json", "manifest.json: not valid JSON"),
        (b"{}", "manifest.json: expected a non-empty list"),
        (b"[]", "manifest.json: expected a non-empty list"),
        (b'[{"Config": 5, "Layers": "x"}]', "entry without Config or Layers"),
        (b"[" * 100_000 + b"]" * 100_000, "manifest.json: not valid JSON"),
    ):
        members = {**_members(), "manifest.json": bad}
        assert message in _error(sandbox, _archive(sandbox, members))


def test_missing_tampered_or_unparsable_config(sandbox: Sandbox) -> None:
    members = _members()
    config = _config_name(members)
    assert f"config {config!r} is missing" in _error(
        sandbox, _archive(sandbox, {k: v for k, v in members.items() if k != config})
    )
    tampered = {**members, config: members[config].replace(b"amd64", b"arm64")}
    assert "digest mismatch" in _error(sandbox, _archive(sandbox, tampered))
    garbage = b"\x00garbage"
    renamed = {k: v for k, v in members.items() if k != config}
    renamed[sha256(garbage)[7:] + ".json"] = garbage
    manifest = json.loads(members["manifest.json"])
    manifest[0]["Config"] = sha256(garbage)[7:] + ".json"
    renamed["manifest.json"] = json.dumps(manifest).encode()
    assert "not valid JSON" in _error(sandbox, _archive(sandbox, renamed))


def test_layer_count_must_match_the_config(sandbox: Sandbox) -> None:
    members = _members()
    manifest = json.loads(members["manifest.json"])
    manifest[0]["Layers"] = manifest[0]["Layers"][:1]
    members["manifest.json"] = json.dumps(manifest).encode()
    assert "rootfs lists 2 layers but the manifest has 1" in _error(
        sandbox, _archive(sandbox, members)
    )


def test_damaged_layers(sandbox: Sandbox) -> None:
    members = _members()
    name = _layer_names(members)[1]
    missing = {k: v for k, v in members.items() if k != name}
    assert f"layer {name!r} is missing" in _error(sandbox, _archive(sandbox, missing))
    flipped = bytearray(members[name])
    flipped[600] ^= 0x20
    error = _error(sandbox, _archive(sandbox, {**members, name: bytes(flipped)}))
    assert f"layer {sha256(LAYERS[1])}: diff ID mismatch" in error
    cut = _error(sandbox, _archive(sandbox, {**members, name: members[name][:1500]}))
    assert f"layer {sha256(LAYERS[1])}: truncated" in cut
    junk = _error(sandbox, _archive(sandbox, {**members, name: os.urandom(8192)}))
    assert f"layer {sha256(LAYERS[1])}: corrupt" in junk


def test_damaged_archives(sandbox: Sandbox) -> None:
    spec = _archive(sandbox, _members())
    path = Path(spec.split(":", 1)[1])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in _error(sandbox, spec)
    path.write_bytes(os.urandom(20_000))
    assert "not a readable tar archive" in _error(sandbox, spec)
    path.write_bytes(gzip.compress(data)[:-100])
    assert "cannot decompress the archive" in _error(sandbox, spec)


def test_names_and_links_in_the_archive_stay_inside(sandbox: Sandbox) -> None:
    members = _members()
    manifest = json.loads(members["manifest.json"])
    manifest[0]["Layers"][0] = "../../../etc/passwd"
    escaping = {**members, "manifest.json": json.dumps(manifest).encode()}
    assert "is missing" in _error(sandbox, _archive(sandbox, escaping))
    # A layer member that is a symlink to a host file resolves inside the archive only.
    name = _layer_names(members)[0]
    linked = {k: v for k, v in members.items() if k != name}
    assert "is missing" in _error(sandbox, _archive(sandbox, linked, links={name: "/etc/passwd"}))
    # Members named outside the archive root are ignored, never written anywhere.
    extra = {**members, f"../{sandbox.canary.name}/x": b"x", "/abs/y": b"y"}
    out = sandbox.run({"kind": "image", "spec": _archive(sandbox, extra)})
    assert out.error is None


def test_archive_decompression_bomb(sandbox: Sandbox) -> None:
    path = sandbox.inputs / "bomb.tar.gz"
    path.write_bytes(gzip_bomb(4 * 1024**3))
    out = sandbox.run(
        {
            "kind": "image",
            "path": str(path),
            "spec": "unused",
            "archive_limits": {"ratio_floor_bytes": 64 * 1024**2},
        }
    )
    assert out.error and "decompression bomb" in out.error
    assert list(sandbox.work.iterdir()) == []


# ---- OCI layouts -------------------------------------------------------------------------


def _layout(box: Sandbox, **kw: Any) -> tuple[Layout, dict[str, Any]]:
    lay = Layout(box.inputs / "oci")
    desc = lay.image(OciImage(LAYERS, **kw))
    lay.write_index([desc])
    return lay, desc


def _manifest(lay: Layout, desc: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(lay.blob_path(desc["digest"]).read_bytes())
    return doc


def _rewrite_manifest(lay: Layout, manifest: dict[str, Any]) -> None:
    desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json"}
    desc.update(lay.blob(json.dumps(manifest).encode()))
    lay.write_index([desc])


def test_a_good_layout_reads_as_dir_and_archive(sandbox: Sandbox) -> None:
    lay, _ = _layout(sandbox)
    out = sandbox.run({"kind": "image", "spec": f"oci:{lay.root}"})
    assert out.error is None and len(out.result["layers"]) == 2
    archive = sandbox.inputs / "oci.tar.gz"
    tar_directory(lay.root, sandbox.inputs / "oci.tar")
    archive.write_bytes(gzip.compress((sandbox.inputs / "oci.tar").read_bytes()))
    out = sandbox.run({"kind": "image", "spec": f"oci-archive:{archive}"})
    assert out.error is None and out.result["info"]["source"] == "oci-archive"


def test_missing_or_unparsable_layout_files(sandbox: Sandbox) -> None:
    lay, _ = _layout(sandbox)
    spec = f"oci:{lay.root}"
    index = (lay.root / "index.json").read_bytes()
    (lay.root / "index.json").write_bytes(b"{garbage")
    assert "index.json: not valid JSON" in _error(sandbox, spec)
    (lay.root / "index.json").write_bytes(b'{"manifests": {}}')
    assert "index.json: no manifests list" in _error(sandbox, spec)
    (lay.root / "index.json").write_bytes(b" " * (5 * 1024**2))
    assert "over the 4194304-byte cap" in _error(sandbox, spec)
    (lay.root / "index.json").unlink()
    assert "no index.json" in _error(sandbox, spec)
    (lay.root / "index.json").write_bytes(index)
    (lay.root / "oci-layout").unlink()
    assert "no oci-layout file" in _error(sandbox, spec)


def test_unknown_media_types(sandbox: Sandbox) -> None:
    lay, _ = _layout(sandbox, layer_media_type="application/vnd.example.secret+encrypted")
    assert "unknown media type 'application/vnd.example.secret+encrypted'" in _error(
        sandbox, f"oci:{lay.root}"
    )
    sandbox_two = sandbox.inputs / "two"
    lay2 = Layout(sandbox_two)
    lay2.write_index(
        [lay2.image(OciImage(LAYERS, config_media_type="application/vnd.cncf.helm.config.v1+json"))]
    )
    assert "unknown config media type 'application/vnd.cncf.helm.config.v1+json'" in _error(
        sandbox, f"oci:{lay2.root}"
    )
    lay3 = Layout(sandbox.inputs / "three")
    lay3.write_index([{"mediaType": "application/vnd.example.artifact", **lay3.blob(b"{}")}])
    assert "unknown media type 'application/vnd.example.artifact'" in _error(
        sandbox, f"oci:{lay3.root}"
    )


def test_digests_that_would_be_paths_are_refused(sandbox: Sandbox) -> None:
    lay, desc = _layout(sandbox)
    (sandbox.canary.parent / "secret").write_text("host file")
    for digest in ("sha256:../../../secret", "sha256:/etc/passwd", "md5:abc", "sha256:" + "A" * 64):
        lay.write_index([{**desc, "digest": digest}])
        assert "invalid digest" in _error(sandbox, f"oci:{lay.root}")
    manifest = _manifest(lay, desc)
    manifest["layers"][0]["digest"] = "sha256:../../../../etc/passwd"
    _rewrite_manifest(lay, manifest)
    assert "invalid digest" in _error(sandbox, f"oci:{lay.root}")


def test_missing_and_linked_blobs(sandbox: Sandbox) -> None:
    lay, desc = _layout(sandbox)
    layer_digest = _manifest(lay, desc)["layers"][1]["digest"]
    blob = lay.blob_path(layer_digest)
    data = blob.read_bytes()
    blob.unlink()
    assert f"missing blob {layer_digest}" in _error(sandbox, f"oci:{lay.root}")
    os.symlink("/etc/passwd", blob)
    assert f"cannot open blob {layer_digest}" in _error(sandbox, f"oci:{lay.root}")
    blob.unlink()
    blob.write_bytes(data)
    # The same link inside an OCI archive resolves inside the archive, never to the host.
    archive = sandbox.inputs / "oci.tar"
    tar_directory(lay.root, archive)
    members = {}
    import tarfile

    with tarfile.open(archive) as tar:
        for m in tar:
            if m.isreg() and not m.name.endswith(layer_digest[7:]):
                fh = tar.extractfile(m)
                assert fh is not None
                members[m.name] = fh.read()
    linked = sandbox.inputs / "linked.tar"
    write_tar(linked, members, links={f"blobs/sha256/{layer_digest[7:]}": "/etc/passwd"})
    assert f"missing blob {layer_digest}" in _error(sandbox, f"oci-archive:{linked}")


def test_tampered_blobs(sandbox: Sandbox) -> None:
    lay, desc = _layout(sandbox)
    manifest = _manifest(lay, desc)
    config = lay.blob_path(manifest["config"]["digest"])
    original = config.read_bytes()
    config.write_bytes(original.replace(b"amd64", b"arm64"))
    assert "config" in (err := _error(sandbox, f"oci:{lay.root}")) and "digest mismatch" in err
    config.write_bytes(original)
    layer = lay.blob_path(manifest["layers"][1]["digest"])
    good = layer.read_bytes()
    tar = bytearray(gzip.decompress(good))
    tar[600] ^= 0x20
    layer.write_bytes(gzip.compress(bytes(tar)))
    assert f"layer {manifest['layers'][1]['digest']}: digest mismatch" in _error(
        sandbox, f"oci:{lay.root}"
    )
    layer.write_bytes(good[: len(good) // 2])
    assert "truncated" in _error(sandbox, f"oci:{lay.root}")
    layer.write_bytes(good)
    manifest_blob = lay.blob_path(desc["digest"])
    manifest_blob.write_bytes(manifest_blob.read_bytes() + b" ")
    assert "manifest" in (err := _error(sandbox, f"oci:{lay.root}")) and "mismatch" in err


def test_descriptor_size_must_match(sandbox: Sandbox) -> None:
    lay, desc = _layout(sandbox)
    lay.write_index([{**desc, "size": desc["size"] + 1}])
    assert "size mismatch" in _error(sandbox, f"oci:{lay.root}")
    lay.write_index([{**desc, "size": 10**12}])
    assert "cap" in _error(sandbox, f"oci:{lay.root}")


@pytest.mark.parametrize("form", ["oci", "oci-archive", "input"])
def test_hostile_layer_inside_a_valid_layout(sandbox: Sandbox, form: str) -> None:
    canary = str(sandbox.canary)
    hostile = layer_tar(
        [
            Entry("../x", data=b"escape"),
            Entry("link", "symlink", link=canary),
            Entry("link/payload", data=b"through"),
            Entry("hl", "hardlink", link="/etc/passwd"),
            Entry("dev/kmsg", "chr"),
        ]
    )
    lay = Layout(sandbox.inputs / "oci")
    lay.write_index([lay.image(OciImage([hostile]))])
    if form == "oci":
        out = sandbox.run({"kind": "image", "spec": f"oci:{lay.root}"})
    else:
        archive = sandbox.inputs / "oci.tar"
        tar_directory(lay.root, archive)
        request = (
            {"kind": "image", "spec": f"oci-archive:{archive}"}
            if form == "oci-archive"
            else {"kind": "input", "path": str(archive)}
        )
        out = sandbox.run(request)
    assert out.error is None
    assert set(out.layer()["files"]) == {"/link/payload"}
    notes = out.notes()
    assert "../x: its name climbs out" in notes and "/hl: hard link to /etc/passwd" in notes
