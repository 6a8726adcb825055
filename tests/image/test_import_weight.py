"""``seawall image sbom --input ARCHIVE`` loads no heavy module it does not need.

A cold scan pays for every import, so the docker-archive path with ``-f json`` or
``-f cyclonedx`` must not load the terminal UI (rich), the HTTP client (httpx), YAML, the
docker SDK or jsonschema; compressed-archive and OCI readers load only when an input needs
them. Run in a fresh interpreter, since the test process itself has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.image.builders import Entry, docker_archive_members, layer_tar, write_tar

HEAVY = ("rich", "httpx", "yaml", "docker", "jsonschema", "zstandard", "gzip", "seawall.image.oci")

_PROBE = """
import json, sys
from seawall.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in json.loads(sys.stdin.read()) if m in sys.modules)
sys.stderr.write("LOADED " + json.dumps(heavy) + "\\n")
sys.exit(code)
"""


@pytest.mark.parametrize("fmt", ["json", "cyclonedx"])
def test_a_docker_archive_scan_stays_light(tmp_path: Path, fmt: str) -> None:
    layer = layer_tar([Entry("etc/os-release", data=b"ID=debian\nVERSION_ID=12\n")])
    archive = tmp_path / "image.tar"
    write_tar(archive, docker_archive_members([layer]))
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            "image",
            "sbom",
            "--input",
            str(archive),
            "-f",
            fmt,
            "--no-cache",
            "-o",
            str(tmp_path / "out.json"),
        ],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = [line for line in proc.stderr.splitlines() if line.startswith("LOADED ")]
    assert loaded == ["LOADED []"], proc.stderr
