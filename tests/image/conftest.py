"""Fixtures for image tests: a sandbox per hostile case, and one real image in five forms.

The real image is built once per session on the engine from a local root filesystem
(``docker import`` + a legacy build with RUN steps that add, hard-link, symlink and delete
files), exported with ``docker save`` (plain and gzip) and converted offline with skopeo into
an OCI directory, an OCI archive and a zstd OCI directory. Everything is removed afterwards.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.image.harness import Outcome, assert_safe, probe
from tests.support.engine import build_image, docker, import_image, remove_prefixed

PREFIX = f"swimg{os.getpid()}"


@dataclass(frozen=True)
class Sandbox:
    """``inputs`` for what a test builds, ``work`` as seawall's temp dir, an empty ``canary``."""

    root: Path
    inputs: Path
    work: Path
    canary: Path

    def _snapshot(self) -> dict[str, int]:
        found = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            if Path(dirpath) == self.work:
                dirnames.clear()
                continue
            for name in filenames + dirnames:
                path = Path(dirpath, name)
                if path != self.work:
                    found[str(path)] = path.lstat().st_mtime_ns
        return found

    def run(self, request: dict[str, Any]) -> Outcome:
        """Probe ``request`` in a child; check RSS, time, canary, host content, stray writes."""
        before = self._snapshot()
        outcome = probe({**request, "tmpdir": str(self.work)})
        assert_safe(outcome, canary=self.canary, tmpdir=self.work)
        assert self._snapshot() == before, "seawall wrote outside its temp dir"
        return outcome


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A fresh sandbox under the test's temp dir."""
    box = Sandbox(tmp_path, tmp_path / "inputs", tmp_path / "work", tmp_path / "canary")
    for d in (box.inputs, box.work, box.canary):
        d.mkdir()
    return box


def skopeo(*args: str) -> None:
    """Run skopeo offline on local files (no signature policy needed for local copies)."""
    if shutil.which("skopeo") is None:
        pytest.fail("skopeo is required for the image tests (scripts/test.sh installs it)")
    proc = subprocess.run(
        ["skopeo", "--insecure-policy", "copy", "-q", *args],
        capture_output=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"skopeo copy {' '.join(args)}: {proc.stderr.decode()[-2000:]}")


@dataclass(frozen=True)
class Forms:
    """One image in every local form."""

    ref: str
    image_id: str
    base_ref: str
    save: Path
    save_gz: Path
    oci_dir: Path
    oci_archive: Path
    oci_zstd: Path

    def specs(self) -> dict[str, str]:
        """Source spec per form."""
        return {
            "docker": f"docker:{self.ref}",
            "docker-archive": f"docker-archive:{self.save}",
            "docker-archive-gz": f"docker-archive:{self.save_gz}",
            "oci": f"oci:{self.oci_dir}:v1",
            "oci-archive": f"oci-archive:{self.oci_archive}:v1",
            "oci-zstd": f"oci:{self.oci_zstd}",
        }


DOCKERFILE = """FROM {base}
RUN mkdir -p /app/lib && echo 'Name: demo' > /app/lib/METADATA && ln /app/lib/METADATA /app/lib/META-HARD && ln -s METADATA /app/lib/META-LINK
RUN echo extra > /app/extra.txt && rm /etc/group && mkdir -p /opt/o && echo 1 > /opt/o/one
RUN rm -rf /opt/o && mkdir /opt/o && echo 2 > /opt/o/two
LABEL org.opencontainers.image.base.name={base}
"""


@pytest.fixture(scope="session")
def forms(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forms]:
    """Build the test image and write its five local forms (removed afterwards)."""
    out = tmp_path_factory.mktemp("forms")
    base, ref = f"{PREFIX}/base:1", f"{PREFIX}/app:1"
    try:
        import_image(base, with_sshd=False)
        image_id = build_image(ref, DOCKERFILE.format(base=base))
        save, save_gz = out / "app.tar", out / "app.tar.gz"
        docker("save", "-o", str(save), ref)
        with open(save, "rb") as src, gzip.open(save_gz, "wb", compresslevel=1) as dst:
            shutil.copyfileobj(src, dst)
        skopeo(f"docker-archive:{save}", f"oci:{out / 'oci'}:v1")
        skopeo(f"docker-archive:{save}", f"oci-archive:{out / 'oci.tar'}:v1")
        skopeo("--dest-compress-format", "zstd", f"docker-archive:{save}", f"oci:{out / 'zstd'}")
        yield Forms(ref, image_id, base, save, save_gz, out / "oci", out / "oci.tar", out / "zstd")
    finally:
        remove_prefixed(PREFIX)
