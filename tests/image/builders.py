"""Build image inputs by hand for tests: layer tars (odd and hostile ones), gzip/zstd bombs,
OCI image layouts with any index structure, and edits of existing tar archives.

Everything is built at test time from bytes; nothing is downloaded.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard


@dataclass(frozen=True)
class Entry:
    """One tar entry: ``kind`` is file, dir, symlink, hardlink, chr, blk or fifo."""

    name: str
    kind: str = "file"
    data: bytes = b""
    link: str = ""
    mode: int = 0o644


_TYPES = {
    "file": tarfile.REGTYPE,
    "dir": tarfile.DIRTYPE,
    "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE,
    "chr": tarfile.CHRTYPE,
    "blk": tarfile.BLKTYPE,
    "fifo": tarfile.FIFOTYPE,
}


def layer_tar(entries: Iterable[Entry], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """A layer tar holding ``entries`` in order (names may hold undecodable bytes)."""
    buf = io.BytesIO()
    with tarfile.open(
        fileobj=buf, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape"
    ) as tar:
        for e in entries:
            info = tarfile.TarInfo(e.name)
            info.type = _TYPES[e.kind]
            info.mode = e.mode
            info.linkname = e.link
            info.mtime = 1_700_000_000
            if e.kind == "file":
                info.size = len(e.data)
                tar.addfile(info, io.BytesIO(e.data))
            else:
                tar.addfile(info)
    return buf.getvalue()


def sha256(data: bytes) -> str:
    """``sha256:<hex>`` of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _ustar_header(name: bytes, size: int = 0) -> bytes:
    """A minimal ustar header for a regular file (built directly: tarfile is slow for 100k+)."""
    head = bytearray(512)
    head[0 : len(name)] = name
    head[100:108] = b"0000644\x00"
    head[108:116] = b"0000000\x00"
    head[116:124] = b"0000000\x00"
    head[124:136] = b"%011o\x00" % size
    head[136:148] = b"14540000000\x00"
    head[148:156] = b" " * 8
    head[156:157] = b"0"
    head[257:265] = b"ustar\x0000"
    head[148:156] = b"%06o\x00 " % sum(head)
    return bytes(head)


def many_files_tar(count: int) -> bytes:
    """A layer of ``count`` empty files spread over directories of 1000 (fast to build).

    All headers share every field but the name, so the checksum is the empty-name header's
    plus the name's bytes.
    """
    base = _ustar_header(b"")
    base_sum = sum(base[:148]) + 8 * ord(" ") + sum(base[156:])
    head, tail = base[100:148], base[156:]
    parts = []
    for i in range(count):
        name = b"d%d/f%d" % (i // 1000, i)
        check = b"%06o\x00 " % (base_sum + sum(name))
        parts.append(name.ljust(100, b"\x00") + head + check + tail)
    parts.append(b"\x00" * 1024)
    return b"".join(parts)


def gzip_bomb(total: int, name: str = "bomb") -> bytes:
    """A gzip layer whose tar holds one file of ``total`` zero bytes (multi-member gzip).

    Built from one compressed 64 MiB block of zeros repeated, so a many-GiB bomb costs a few
    megabytes and a fraction of a second to make.
    """
    block = 64 * 1024 * 1024
    count = max(1, total // block)
    header = layer_tar([Entry(name, data=b"")], tarfile.GNU_FORMAT)[:512]
    header = _resize_header(header, count * block)
    zeros = gzip.compress(bytes(block), compresslevel=9)
    return gzip.compress(header) + zeros * count + gzip.compress(b"\x00" * 1024)


def zstd_bomb(total: int, name: str = "bomb") -> bytes:
    """The zstd analogue of ``gzip_bomb`` (concatenated frames)."""
    block = 64 * 1024 * 1024
    count = max(1, total // block)
    header = layer_tar([Entry(name, data=b"")], tarfile.GNU_FORMAT)[:512]
    header = _resize_header(header, count * block)
    z = zstandard.ZstdCompressor(level=1)
    return z.compress(header) + z.compress(bytes(block)) * count + z.compress(b"\x00" * 1024)


def size_field(size: int) -> bytes:
    """The 12-byte size field: octal, or GNU base-256 from 8 GiB on (as GNU tar writes it)."""
    if size < 8**11:
        return b"%011o\x00" % size
    return b"\x80" + size.to_bytes(11, "big")


def _resize_header(header: bytes, size: int) -> bytes:
    """A copy of a ustar header with a new size field (and checksum)."""
    head = bytearray(header)
    head[124:136] = size_field(size)
    head[148:156] = b" " * 8
    head[148:156] = b"%06o\x00 " % sum(head)
    return bytes(head)


def rewrite_tar(src: Path, dst: Path, changes: dict[str, bytes | None]) -> None:
    """Copy tar ``src`` to ``dst`` replacing (bytes) or dropping (None) the named members."""
    with tarfile.open(src) as tin, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tout:
        for m in tin:
            key = m.name.lstrip("./")
            if key in changes:
                data = changes[key]
                if data is None:
                    continue
                m.size = len(data)
                tout.addfile(m, io.BytesIO(data))
            elif m.isreg():
                tout.addfile(m, tin.extractfile(m))
            else:
                tout.addfile(m)


def read_member(path: Path, name: str) -> bytes:
    """One member of a tar archive."""
    with tarfile.open(path) as tar:
        fh = tar.extractfile(name)
        assert fh is not None
        return fh.read()


@dataclass
class OciImage:
    """One image to write into a layout: its layers (tar bytes) and config details."""

    layers: Sequence[bytes]
    platform: tuple[str, str, str] = ("linux", "amd64", "")
    compress: str = "gzip"  # gzip, zstd or none
    layer_media_type: str | None = None
    config_media_type: str = "application/vnd.oci.image.config.v1+json"
    annotations: dict[str, str] = field(default_factory=dict)
    history: list[dict[str, Any]] | None = None


class Layout:
    """An OCI image layout being written by hand under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')

    def blob(self, data: bytes) -> dict[str, Any]:
        """Store ``data`` as a blob; return a descriptor without media type."""
        digest = sha256(data)
        (self.root / "blobs" / "sha256" / digest[7:]).write_bytes(data)
        return {"digest": digest, "size": len(data)}

    def image(self, img: OciImage) -> dict[str, Any]:
        """Write an image's layers, config and manifest; return the manifest descriptor."""
        layer_descs, diff_ids = [], []
        for tar in img.layers:
            diff_ids.append(sha256(tar))
            if img.compress == "gzip":
                blob, mt = gzip.compress(tar), "application/vnd.oci.image.layer.v1.tar+gzip"
            elif img.compress == "zstd":
                blob = zstandard.ZstdCompressor().compress(tar)
                mt = "application/vnd.oci.image.layer.v1.tar+zstd"
            else:
                blob, mt = tar, "application/vnd.oci.image.layer.v1.tar"
            layer_descs.append({"mediaType": img.layer_media_type or mt, **self.blob(blob)})
        os_, arch, variant = img.platform
        history = img.history or [{"created_by": f"layer {i}"} for i in range(len(img.layers))]
        config = {
            "architecture": arch,
            "os": os_,
            **({"variant": variant} if variant else {}),
            "config": {"Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
        config_desc = {
            "mediaType": img.config_media_type,
            **self.blob(json.dumps(config).encode()),
        }
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config_desc,
            "layers": layer_descs,
            **({"annotations": img.annotations} if img.annotations else {}),
        }
        desc = {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            **self.blob(json.dumps(manifest).encode()),
        }
        plat = {"os": os_, "architecture": arch, **({"variant": variant} if variant else {})}
        return {**desc, "platform": plat}

    def index_blob(self, manifests: list[dict[str, Any]]) -> dict[str, Any]:
        """Store a nested image index; return its descriptor."""
        doc = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        }
        return {
            "mediaType": "application/vnd.oci.image.index.v1+json",
            **self.blob(json.dumps(doc).encode()),
        }

    def write_index(self, manifests: list[dict[str, Any]]) -> None:
        """Write ``index.json`` listing ``manifests``."""
        doc = {"schemaVersion": 2, "manifests": manifests}
        (self.root / "index.json").write_text(json.dumps(doc))

    def blob_path(self, digest: str) -> Path:
        """Where blob ``digest`` is stored."""
        return self.root / "blobs" / "sha256" / digest.split(":", 1)[1]


def tar_directory(src: Path, dst: Path) -> None:
    """Tar the contents of ``src`` (e.g. an OCI layout) into ``dst`` with relative names."""
    with tarfile.open(dst, "w") as tar:
        for name in sorted(os.listdir(src)):
            tar.add(src / name, arcname=name)


def docker_archive_members(
    layers: Sequence[bytes], tags: Sequence[str] = ("example/app:1",)
) -> dict[str, bytes]:
    """The members of a legacy ``docker save`` archive for ``layers`` (name -> content)."""
    diff_ids = [sha256(t) for t in layers]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": f"step {i}"} for i in range(len(layers))],
    }
    config_bytes = json.dumps(config).encode()
    config_name = sha256(config_bytes)[7:] + ".json"
    members = {config_name: config_bytes}
    names = []
    for i, tar in enumerate(layers):
        name = f"{hashlib.sha256(b'%d' % i).hexdigest()}/layer.tar"
        members[name] = tar
        names.append(name)
    manifest = [{"Config": config_name, "RepoTags": list(tags), "Layers": names}]
    members["manifest.json"] = json.dumps(manifest).encode()
    return members


def write_tar(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> None:
    """Write ``members`` (and symlink members ``links``: name -> target) as a tar archive."""
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
