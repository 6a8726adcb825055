"""Resource bounds of the binary analyzers on their worst inputs, measured in a subprocess.

Each case builds a hostile input inside a fresh interpreter, runs the analyzer on it and
reports its peak RSS: it must stay far below the issue's 500 MiB bound (the analyzers never
hold a whole binary, archive or bomb in memory) and finish within a time bound.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from tests.support.launch import LAUNCHER

PRELUDE = """
import io, json, resource, struct, sys, zlib
from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import gobinary, java, rust_binary
from tests.inventory._bin_support import *

def run(analyzer, path, data):
    try:
        found = analyzer.analyze(bytes_input(path, data))
        result = [len(found.packages), len(found.notes)]
    except AnalyzerError as exc:
        result = ["error", exc.message[:200]]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"result": result, "rss_mib": rss}))
"""

CASES = {
    # 256 MiB of zeros behind a 250 KiB zlib stream in .dep-v0.
    "rust zlib bomb": """
        payload = zlib.compress(bytes(256 * 1024 * 1024), 9)
        run(rust_binary.analyze, "/usr/bin/bomb", rust_elf(payload))
    """,
    # 20,000 crates (the cap) with long names: the most a payload can ask for.
    "rust package cap": """
        pkgs = [{"name": f"crate-{i:05d}-" + "x" * 100, "version": "1.0.0", "source": "crates.io"} for i in range(20_000)]
        run(rust_binary.analyze, "/usr/bin/many", rust_elf(dep_v0(pkgs)))
    """,
    # A module info at the 4 MiB cap, with 20,000 dependencies.
    "go modinfo cap": """
        lines = ["path\\tx", "mod\\tx\\tv1.0.0\\t"] + [f"dep\\texample.com/m{i}/" + "p" * 150 + f"\\tv1.0.{i}\\t" for i in range(20_000)]
        run(gobinary.analyze, "/usr/bin/go-many", go_inline_elf("go1.21.0", "\\n".join(lines) + "\\n"))
    """,
    # 256 MiB of zeros as a nested jar: refused by its compression ratio before inflating.
    "java nested bomb": """
        buf = io.BytesIO()
        import zipfile
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("WEB-INF/lib/x.jar", "w", force_zip64=True) as out:
            block = bytes(4 * 1024 * 1024)
            for _ in range(64):
                out.write(block)
        run(java.analyze, "/srv/bomb.war", buf.getvalue())
    """,
    # 250,000 central-directory records (all naming one local entry): streamed, never listed.
    "java entry flood": """
        local = struct.pack("<4sHHHHHIIIHH", b"PK\\x03\\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
        records = bytearray()
        for i in range(250_000):
            name = f"e/{i:07d}".encode()
            records += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\\x01\\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0) + name
        z64 = struct.pack("<4sQHHIIQQQQ", b"PK\\x06\\x06", 44, 45, 45, 0, 0, 250_000, 250_000, len(records), len(local))
        loc = struct.pack("<4sIQI", b"PK\\x06\\x07", 0, len(local) + len(records), 1)
        end = struct.pack("<4sHHHHIIH", b"PK\\x05\\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
        run(java.analyze, "/app/flood.jar", local + bytes(records) + z64 + loc + end)
    """,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_memory_and_time_are_bounded(case: str) -> None:
    code = PRELUDE + textwrap.dedent(CASES[case])
    start = time.monotonic()
    proc = subprocess.run(
        [*LAUNCHER, sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    # The interpreter plus the hostile input itself (built in this process) fit well below.
    assert report["rss_mib"] < 250, report
    assert elapsed < 60, elapsed
    if case.startswith("rust zlib"):
        assert report["result"][0] == "error" and "more than" in report["result"][1]
    expected = {
        "rust package cap": [20_000, 0],
        "go modinfo cap": [20_002, 0],  # main module, stdlib, every dependency
        "java entry flood": [0, 0],
        "java nested bomb": [0, 1],
    }
    if case in expected:
        assert report["result"] == expected[case]
