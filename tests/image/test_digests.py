"""``Digests``: the threaded hashing gives exactly the digests of the bytes handed over, in
order, whatever the chunk sizes; ring buffers are never refilled before they are hashed; the
thread stops on failure. And the layer walker gives the same result threaded or inline."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
from pathlib import Path

import pytest
import zstandard

import seawall.image.digests as digests_module
from seawall.image.digests import BLOB, FIRST, SLOT, TAR, Digests
from seawall.image.layers import walk_layer
from seawall.image.walk import ImageError
from tests.image.builders import Entry, layer_tar, sha256


def _data(size: int, seed: int = 1) -> bytes:
    """Deterministic bytes that differ everywhere (a repeated block would hide reordering)."""
    out = bytearray()
    block = hashlib.sha256(b"%d" % seed).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def _chunks(digests: Digests, data: bytes) -> list[bytes]:
    """Feed ``data`` through ``chunk`` (as ``Raw.fill`` does); the chunks handed back."""
    stream = io.BytesIO(data)

    def read_into(view: memoryview) -> int:
        return stream.readinto(view)

    out = []
    while chunk := digests.chunk(read_into):
        out.append(bytes(chunk))
    return out


@pytest.mark.parametrize("threaded", [True, False])
@pytest.mark.parametrize(
    "size", [0, 100, FIRST, FIRST + 1, FIRST + 3 * SLOT, FIRST + 9 * SLOT + 12345]
)
def test_chunks_are_hashed_in_order(size: int, threaded: bool) -> None:
    data = _data(size)
    digests = Digests("sha256", "sha512", threaded=threaded)
    assert b"".join(_chunks(digests, data)) == data
    blob, tar = digests.hexdigests()
    assert blob == hashlib.sha256(data).hexdigest() and tar == hashlib.sha512(data).hexdigest()
    assert digests.threaded == (threaded and size > FIRST)


def test_a_plain_tar_hashes_once() -> None:
    data = _data(FIRST + 2 * SLOT)
    digests = Digests("sha256", "sha256", threaded=True)
    digests.forget_tar()
    _chunks(digests, data)
    assert digests.hexdigests() == (hashlib.sha256(data).hexdigest(), None)
    with pytest.raises(RuntimeError):
        digests.forget_tar()  # too late once hashing started
    with pytest.raises(RuntimeError):
        digests.update(TAR, b"x")  # the tar's digest was dropped


@pytest.mark.parametrize("threaded", [True, False])
def test_updates_of_both_digests(threaded: bool) -> None:
    raw, tar = hashlib.sha256(), hashlib.sha256()
    digests = Digests("sha256", "sha256", threaded=threaded)
    for i in range(40):
        piece = _data(200_000 + i, seed=i)
        which = BLOB if i % 3 else TAR
        (raw if which == BLOB else tar).update(piece)
        # bytes are queued as they are; a bytearray or view is copied first
        digests.update(which, piece if i % 2 else memoryview(bytearray(piece)))
    assert digests.hexdigests() == (raw.hexdigest(), tar.hexdigest())
    assert digests.threaded == threaded


class _SlowHash:
    """A sha256 that takes its time: the thread lags behind, and every buffer is reused."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def update(self, data: bytes | memoryview) -> None:
        time.sleep(0.003)
        self._h.update(bytes(data))

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def test_buffers_are_not_refilled_before_they_are_hashed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(digests_module.HASHES, "sha256", _SlowHash)
    data = _data(FIRST + 12 * SLOT + 7)
    digests = Digests("sha256", "sha256", threaded=True)
    digests.forget_tar()
    _chunks(digests, data)
    assert digests.hexdigests()[0] == hashlib.sha256(data).hexdigest()


def test_close_stops_the_thread() -> None:
    before = threading.active_count()
    digests = Digests("sha256", "sha256", threaded=True)
    stream = io.BytesIO(_data(FIRST + 3 * SLOT))
    for _ in range(3):
        digests.chunk(stream.readinto)
    assert digests.threaded and threading.active_count() == before + 1
    digests.close()
    assert threading.active_count() == before


@pytest.fixture
def force_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Walks hash in a thread, even where the process may only use one CPU."""
    defaults = Digests.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "threaded", True)


def _big_layer() -> bytes:
    """A layer over several chunks, with wanted files in the middle and at the end."""
    entries = [Entry(f"pad/{i}", data=_data(900_000, seed=i)) for i in range(12)]
    entries.insert(5, Entry("etc/os-release", data=b"ID=demo\n"))
    entries.append(Entry("usr/bin/tool", data=_data(300_000, seed=99)))
    return layer_tar(entries)


@pytest.mark.parametrize("compress", ["none", "gzip", "zstd"])
def test_threaded_walk_equals_inline_walk(
    tmp_path: Path, compress: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tar = _big_layer()
    blob = {
        "none": tar,
        "gzip": gzip.compress(tar, 1),
        "zstd": zstandard.ZstdCompressor().compress(tar),
    }[compress]
    results = []
    defaults = Digests.__init__.__kwdefaults__
    assert defaults is not None
    for threaded in (True, False):
        monkeypatch.setitem(defaults, "threaded", threaded)  # walk_layer has no such option
        walk = walk_layer(
            io.BytesIO(blob),
            wanted=lambda p: not p.startswith("/pad/"),
            tmpdir=str(tmp_path),
            expected_diff_id=sha256(tar),
            expected_digest=sha256(blob),
        )
        contents = {p: f.opener().read() for p, f in walk.files.items()}
        results.append((walk.digest, walk.diff_id, contents, walk.entries))
    assert results[0] == results[1]
    assert set(results[0][2]) == {"/etc/os-release", "/usr/bin/tool"}


@pytest.mark.usefixtures("force_thread")
def test_threaded_walk_still_refuses_a_tampered_layer(tmp_path: Path) -> None:
    tar = bytearray(_big_layer())
    diff_id = sha256(bytes(tar))
    tar[-20_000] ^= 0x01  # inside the last file's content: still a valid tar
    before = threading.active_count()
    with pytest.raises(ImageError, match="diff ID mismatch"):
        walk_layer(
            io.BytesIO(bytes(tar)),
            wanted=lambda p: True,
            tmpdir=str(tmp_path),
            expected_diff_id=diff_id,
        )
    assert threading.active_count() == before
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("force_thread")
def test_a_walk_that_fails_midway_stops_its_thread(tmp_path: Path) -> None:
    tar = _big_layer()
    before = threading.active_count()
    with pytest.raises(ImageError, match="truncated"):
        walk_layer(io.BytesIO(tar[: len(tar) // 2]), wanted=lambda p: True, tmpdir=str(tmp_path))
    assert threading.active_count() == before
