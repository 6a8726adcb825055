"""Benchmark ``seawall audit``: N containers with the CIS section-5 settings, some running.

Builds its own inputs on the local engine (a busybox image from a local root filesystem, no
pulls), times the real CLI end to end (process start to exit, median of several runs) for
N = 12, 50 and 200 containers, prints the figures and removes everything it created.

    .venv/bin/python benchmarks/audit.py [--sizes 12,50,200] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.engine import docker, engine_ok, import_image, remove_prefixed

PREFIX = f"swbench{os.getpid()}"
VARIANTS: tuple[tuple[str, ...], ...] = (
    ("--privileged", "--user", "1000"),
    ("--network", "host"),
    ("--pid", "host"),
    ("--ipc", "host"),
    ("--uts", "host"),
    ("--cap-add", "SYS_ADMIN"),
    ("-v", "/var/run/docker.sock:/var/run/docker.sock"),
    ("-v", "/:/host"),
    ("-v", "/etc:/host-etc:ro"),
    ("--security-opt", "seccomp=unconfined"),
    ("--restart", "always"),
    ("--device", "/dev/null:/dev/xnull"),
)


def make_containers(image: str, count: int, start: int) -> None:
    """Create containers start..start+count-1; every third one is only created, not started."""
    for i in range(start, start + count):
        args = list(VARIANTS[i % len(VARIANTS)])
        if i % 12 == 11:
            args = ["-p", f"{600 + i % 300}:80"]
        verb = "create" if i % 3 == 2 else "run"
        extra = ["-d"] if verb == "run" else []
        docker(verb, *extra, "--name", f"{PREFIX}-{i}", *args, image, "sleep", "3600")


def time_audit(runs: int) -> list[float]:
    """Wall-clock seconds of complete ``seawall audit`` runs (JSON to /dev/null)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "seawall",
                "audit",
                "--format",
                "json",
                "--containers",
                f"{PREFIX}-*",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            raise SystemExit(
                f"seawall audit failed ({proc.returncode}): {proc.stderr.decode()[-500:]}"
            )
    return times


def main() -> int:
    """Run the benchmark and print one line per size."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="12,50,200")
    ap.add_argument("--runs", type=int, default=5)
    ns = ap.parse_args()
    reason = engine_ok()
    if reason:
        raise SystemExit(f"engine not reachable: {reason}")
    sizes = sorted(int(s) for s in ns.sizes.split(","))
    image = f"{PREFIX}/busybox:1"
    try:
        import_image(image, with_sshd=False)
        made = 0
        print(
            f"{'containers':>10} {'running':>8} {'median s':>9} {'min s':>7} {'max s':>7}  (runs={ns.runs}, cores={os.cpu_count()})"
        )
        for n in sizes:
            make_containers(image, n - made, made)
            made = n
            running = len(docker("ps", "-q", "--filter", f"name=^/{PREFIX}-").split())
            t = time_audit(ns.runs)
            print(
                f"{n:>10} {running:>8} {statistics.median(t):>9.2f} {min(t):>7.2f} {max(t):>7.2f}",
                flush=True,
            )
    finally:
        remove_prefixed(PREFIX)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
