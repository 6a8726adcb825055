"""The layer cache: per verified layer digest and analyzer catalogue, so a rescan is near instant.

Layout under the cache directory (``--cache-dir``, ``SEAWALL_CACHE_DIR``, else
``$XDG_CACHE_HOME/seawall``, else ``~/.cache/seawall``):

    layers/<sha256(diff_id + analyzers)>.json   LayerResult of one verified layer
    blobs/<sha256(stat key)>.json               stat key -> the digests verified for that blob

A layer result is only ever looked up by a digest seawall computed itself from the bytes
(never one a config merely claims). Re-hashing is skipped only when the stored blob's device,
inode, size, mtime and offset all match a record made when it was last verified. Entries are
written atomically; a damaged or oversized entry is ignored (a miss), never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from seawall.atomic import atomic_write_text
from seawall.errors import ConfigError
from seawall.inventory.layerscan import LayerResult
from seawall.model.serde import from_jsonable, to_jsonable

#: Cache format; bump when LayerResult's shape changes (old entries then miss).
CACHE_VERSION = 1
#: Entries bigger than this are neither written nor read.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def default_cache_dir() -> Path:
    """``SEAWALL_CACHE_DIR``, else ``$XDG_CACHE_HOME/seawall``, else ``~/.cache/seawall``."""
    if os.environ.get("SEAWALL_CACHE_DIR"):
        return Path(os.environ["SEAWALL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "seawall"


@dataclass(frozen=True, slots=True)
class VerifiedBlob:
    """Digests seawall computed for a stored blob, and the stat key they are valid for."""

    stat_key: str
    diff_id: str
    digest: str


def _name(*parts: str) -> str:
    return hashlib.sha256("\0".join((str(CACHE_VERSION), *parts)).encode()).hexdigest()


class LayerCache:
    """Read and write cache entries; every failure degrades to a miss."""

    def __init__(self, root: Path, analyzers_key: str) -> None:
        self.root = root
        self.analyzers_key = analyzers_key

    def _read(self, path: Path) -> object | None:
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                return None
            value: object = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return value

    def _write(self, path: Path, value: object) -> None:
        text = json.dumps(to_jsonable(value), sort_keys=True)
        if len(text) > MAX_ENTRY_BYTES:
            return
        with contextlib.suppress(OSError):  # a read-only or full cache never fails a scan
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_text(path, text)

    def verified(self, stat_key: str | None) -> VerifiedBlob | None:
        """The digests recorded for a blob whose stat key matches exactly."""
        if not stat_key:
            return None
        data = self._read(self.root / "blobs" / f"{_name(stat_key)}.json")
        try:
            blob = from_jsonable(VerifiedBlob, data)
        except (ValueError, TypeError):
            return None
        return blob if blob.stat_key == stat_key else None

    def remember(self, blob: VerifiedBlob) -> None:
        """Record the digests computed for a stored blob."""
        self._write(self.root / "blobs" / f"{_name(blob.stat_key)}.json", blob)

    def has_layer(self, diff_id: str) -> bool:
        """Whether an entry exists for this diff ID (a hint only: ``layer`` checks it)."""
        if not diff_id:
            return False
        return (self.root / "layers" / f"{_name(diff_id, self.analyzers_key)}.json").is_file()

    def layer(self, diff_id: str) -> LayerResult | None:
        """The cached result for a verified layer digest, or None."""
        data = self._read(self.root / "layers" / f"{_name(diff_id, self.analyzers_key)}.json")
        try:
            res = from_jsonable(LayerResult, data)
        except (ValueError, TypeError):
            return None
        return res if res.diff_id == diff_id else None

    def store(self, result: LayerResult) -> None:
        """Store a layer result (only ever for a digest computed from the bytes)."""
        self._write(
            self.root / "layers" / f"{_name(result.diff_id, self.analyzers_key)}.json", result
        )


def clean_cache(root: Path) -> int:
    """Remove seawall's cache entries under ``root``; return how many files were removed."""
    removed = 0
    for sub in ("layers", "blobs"):
        d = root / sub
        if not d.is_dir() or d.is_symlink():
            continue
        removed += sum(1 for p in d.iterdir() if p.is_file())
        try:
            shutil.rmtree(d)
        except OSError as exc:
            raise ConfigError(f"cannot clean cache {d}: {exc.strerror or exc}") from None
    return removed
