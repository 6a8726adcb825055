"""Child process for hostile-input tests: read one input with seawall and print the outcome.

Run as ``python -m tests.image.probe --measure REQUEST_JSON``: that process runs the probe
proper (``python -m tests.image.probe REQUEST_JSON``) as its child and adds the child's peak
RSS, ``getrusage(RUSAGE_CHILDREN).ru_maxrss``, to its JSON. The extra level matters: Linux
counts in a child's peak RSS the memory of the process it was forked from, so the test runner
(which may be large) must not be the direct parent of the measured process.

The request names what to read (``layer`` file, ``dir`` tree, ``image`` spec or ``input``
path), the temp dir, optional limits and which files are wanted (``"all"`` by default,
``"none"``, or a path suffix). The JSON printed on stdout lists what each layer gave (files
with their content, symlinks, whiteouts, notes, digests) or the ``SeawallError`` raised. Any
other exception is a crash and is reported as such (the parent test fails on it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import resource
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from seawall.image.walk import LayerWalk

#: Files up to this size are returned whole (so the parent can look for host content).
SMALL = 64 * 1024


def describe(walk: LayerWalk) -> dict[str, Any]:
    """A JSON-able summary of one walk."""
    files = {}
    for path, spooled in walk.files.items():
        with spooled.opener() as fh:
            digest = hashlib.sha256()
            head = b""
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
                if len(head) < SMALL:
                    head += chunk[: SMALL - len(head)]
        files[path] = {
            "size": spooled.size,
            "sha256": digest.hexdigest(),
            "head": base64.b64encode(head).decode(),
        }
    return {
        "files": files,
        "symlinks": walk.symlinks,
        "whiteouts": sorted(walk.whiteouts),
        "opaque": sorted(walk.opaque),
        "notes": walk.notes,
        "diff_id": walk.diff_id,
        "digest": walk.digest,
        "entries": walk.entries,
    }


def _wanted(spec: str) -> Callable[[str], bool]:
    if spec == "all":
        return lambda p: True
    if spec == "none":
        return lambda p: False
    return lambda p: p.endswith(spec)


def run(req: dict[str, Any]) -> dict[str, Any]:
    """Carry out one request."""
    # Imported here so the measuring parent (``--measure``) stays small and starts fast.
    from seawall.image.archive import ArchiveLimits, open_docker_archive
    from seawall.image.layers import walk_directory, walk_layer
    from seawall.image.open import open_image, open_input
    from seawall.image.walk import WalkLimits

    wanted = _wanted(req.get("wanted", "all"))
    tmpdir = req["tmpdir"]
    limits = WalkLimits(**req.get("limits", {}))
    out: dict[str, Any] = {"layers": [], "error": None}
    if req["kind"] == "layer":
        with open(req["path"], "rb") as fh:
            walk = walk_layer(
                fh,
                wanted=wanted,
                tmpdir=tmpdir,
                expected_diff_id=req.get("diff_id"),
                expected_digest=req.get("digest"),
                limits=limits,
            )
        out["layers"].append(describe(walk))
        return out
    if req["kind"] == "dir":
        walk = walk_directory(req["path"], wanted=wanted, tmpdir=tmpdir, limits=limits)
        out["layers"].append(describe(walk))
        return out
    if req["kind"] == "input":
        image = open_input(req["path"], tmpdir=tmpdir, platform=req.get("platform"))
    elif "archive_limits" in req:
        image = open_docker_archive(
            req["path"], tmpdir=tmpdir, limits=ArchiveLimits(**req["archive_limits"])
        )
    else:
        image = open_image(req["spec"], tmpdir=tmpdir, platform=req.get("platform"))
    try:
        info = image.info
        out["info"] = {
            "source": info.source,
            "id": info.id,
            "digest": info.digest,
            "tags": list(info.tags),
            "diff_ids": [layer.diff_id for layer in info.layers],
        }
        for blob in image.layers:
            with blob.open() as fh:
                walk = walk_layer(
                    fh,
                    wanted=wanted,
                    tmpdir=tmpdir,
                    expected_diff_id=blob.ref.diff_id or None,
                    expected_digest=blob.ref.digest,
                    limits=limits,
                )
            out["layers"].append(describe(walk))
    finally:
        image.close()
    return out


def measure(request: str) -> int:
    """Run the probe as a child and print its JSON plus its peak RSS in KiB."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.image.probe", request],
        stdout=subprocess.PIPE,
        check=False,
    )
    if proc.returncode != 0:
        return proc.returncode
    out = json.loads(proc.stdout)
    out["rss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(out))
    return 0


def main(argv: list[str]) -> int:
    """Entry point: print the outcome as one JSON document."""
    if argv[1] == "--measure":
        return measure(argv[2])
    from seawall.errors import SeawallError

    req = json.loads(argv[1])
    try:
        out = run(req)
    except SeawallError as exc:
        out = {"layers": [], "error": str(exc), "error_type": type(exc).__name__}
    except Exception:
        out = {"layers": [], "crash": traceback.format_exc()}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
