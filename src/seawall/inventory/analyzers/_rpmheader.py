"""A bounds-checked reader of rpm header blobs (the records of every rpmdb format).

Layout (rpm's "header structure", all integers big-endian): an optional 8-byte header
magic (``8e ad e8 01`` + 4 reserved bytes, present in package files, absent in databases),
then ``il`` (index entry count, u32) and ``dl`` (data store length, u32), then ``il`` index
entries of 16 bytes (``tag`` i32, ``type`` u32, ``offset`` i32 into the data store, ``count``
u32), then the ``dl``-byte data store. Strings are NUL-terminated; INT32 values are 4-byte
big-endian. Every count, offset and length is checked before use: a damaged or hostile blob
raises ``HeaderError`` and never reads outside the blob.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_MAGIC = b"\x8e\xad\xe8\x01"
#: rpm refuses headers with more index entries or a larger data store than this.
MAX_ENTRIES = 0xFFFF
MAX_DATA = 64 * 1024 * 1024
_MAX_STRING = 64 * 1024

# Tag numbers (rpmtag.h) and types (rpm's header type enum).
TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_EPOCH = 1000, 1001, 1002, 1003
TAG_VENDOR, TAG_LICENSE, TAG_PACKAGER, TAG_ARCH, TAG_SOURCERPM = 1011, 1014, 1015, 1022, 1044
TYPE_INT32, TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING = 4, 6, 8, 9
_STRING_TYPES = frozenset({TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING})
_STRING_TAGS = frozenset(
    {
        TAG_NAME,
        TAG_VERSION,
        TAG_RELEASE,
        TAG_VENDOR,
        TAG_LICENSE,
        TAG_PACKAGER,
        TAG_ARCH,
        TAG_SOURCERPM,
    }
)
_ENTRY = struct.Struct(">iIiI")


class HeaderError(ValueError):
    """A header blob is damaged or outside the limits."""


@dataclass(frozen=True, slots=True)
class RpmHeader:
    """The facts of one installed rpm package that seawall uses."""

    name: str
    version: str
    release: str
    epoch: int | None = None
    arch: str | None = None
    license: str | None = None
    sourcerpm: str | None = None
    vendor: str | None = None
    packager: str | None = None


def _string(store: bytes, offset: int, tag: int) -> str:
    end = store.find(b"\x00", offset, min(len(store), offset + _MAX_STRING))
    if end < 0:
        raise HeaderError(f"tag {tag}: string without NUL within the limits")
    return store[offset:end].decode("utf-8", "replace")


def _int32(store: bytes, offset: int, count: int, tag: int) -> int:
    if count < 1 or offset + 4 > len(store):
        raise HeaderError(f"tag {tag}: INT32 value out of bounds")
    return int(struct.unpack_from(">i", store, offset)[0])


def _layout(blob: bytes) -> tuple[int, int, int]:
    """``(start of index, il, dl)`` after checking the sizes against the blob and limits."""
    base = 8 if blob[:4] == _MAGIC else 0
    if len(blob) < base + 8:
        raise HeaderError(f"{len(blob)} bytes is too short for a header")
    il, dl = struct.unpack_from(">II", blob, base)
    if not 1 <= il <= MAX_ENTRIES:
        raise HeaderError(f"index entry count {il} outside 1..{MAX_ENTRIES}")
    if dl > MAX_DATA:
        raise HeaderError(f"data store of {dl} bytes is over the {MAX_DATA}-byte limit")
    if base + 8 + 16 * il + dl > len(blob):
        raise HeaderError(
            f"header claims {16 * il + dl} bytes but the blob has {len(blob) - base - 8}"
        )
    return base + 8, il, dl


def parse_header(blob: bytes) -> RpmHeader:
    """The package facts of one header blob; ``HeaderError`` when damaged."""
    start, il, dl = _layout(blob)
    store_at = start + 16 * il
    store = blob[store_at : store_at + dl]
    strings: dict[int, str] = {}
    epoch: int | None = None
    for tag, typ, offset, count in _ENTRY.iter_unpack(blob[start:store_at]):
        if tag not in _STRING_TAGS and tag != TAG_EPOCH:
            continue
        if not 0 <= offset < dl:
            raise HeaderError(f"tag {tag}: offset {offset} outside the {dl}-byte data store")
        if tag == TAG_EPOCH:
            if typ != TYPE_INT32:
                raise HeaderError(f"tag {tag}: type {typ}, expected INT32")
            epoch = _int32(store, offset, count, tag)
        else:
            if typ not in _STRING_TYPES or count < 1:
                raise HeaderError(f"tag {tag}: type {typ} count {count}, expected a string")
            # STRING_ARRAY / I18NSTRING: the first string (the untranslated one).
            strings[tag] = _string(store, offset, tag)
    for tag in (TAG_NAME, TAG_VERSION, TAG_RELEASE):
        if not strings.get(tag):
            raise HeaderError(f"required tag {tag} missing or empty")
    if epoch is not None and epoch < 0:
        raise HeaderError(f"negative epoch {epoch}")
    return RpmHeader(
        name=strings[TAG_NAME],
        version=strings[TAG_VERSION],
        release=strings[TAG_RELEASE],
        epoch=epoch,
        arch=strings.get(TAG_ARCH),
        license=strings.get(TAG_LICENSE),
        sourcerpm=strings.get(TAG_SOURCERPM),
        vendor=strings.get(TAG_VENDOR),
        packager=strings.get(TAG_PACKAGER),
    )


def split_sourcerpm(sourcerpm: str) -> tuple[str, str] | None:
    """``"bash-5.1.8-6.el9.src.rpm"`` -> ``("bash", "5.1.8-6.el9")``; None when not that shape."""
    for suffix in (".src.rpm", ".nosrc.rpm"):
        if sourcerpm.endswith(suffix):
            stem = sourcerpm[: -len(suffix)]
            break
    else:
        return None
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], f"{parts[1]}-{parts[2]}"
