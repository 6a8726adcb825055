"""Benchmark ``seawall authz``: the pure decision engine and the socket proxy's overhead.

Prints figures, asserts nothing:

(a) decisions per second of the pure ``decide()`` on a mix of container-create bodies
    (hardened, privileged, host bind, host network, root, no limits, added capability,
    case-folded keys, device cgroup rules, and an unrestricted admin);
(b) an open-loop load of GET /_ping at a fixed rate (500 requests/s) for some seconds, straight
    to the engine and through the proxy (``seawall authz proxy`` in a subprocess, decision log
    on): latency percentiles of each and the added latency, proxy minus direct;
(c) ``docker save`` and ``docker load`` of an image of incompressible random content (built
    here with ``docker import``; ~200 MB), direct and through the proxy, alternating runs:
    throughput of each and the ratio.

    .venv/bin/python benchmarks/authz.py [--quick] [--rate 500] [--seconds 10] [--size-mb 200]

Everything it creates (image, temp files, the proxy process) is removed at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.engine import docker, engine_ok

from seawall.authz.decide import decide
from seawall.authz.model import ApiRequest, Context, Subject, SubjectKind
from seawall.authz.policy import Policy
from seawall.authz.policy_load import load_policy
from seawall.authz.request import normalise

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "policies"
ENGINE = "/var/run/docker.sock"
PREFIX = f"swbenchauthz{os.getpid()}"
Row = tuple[str, str, str, str]


# -- (a) the pure decision -------------------------------------------------------------------


def _create_body(**overrides: object) -> dict[str, object]:
    """A container-create body shaped like the docker CLI's (API 1.41), hardened by default."""
    host: dict[str, object] = {
        "Binds": None,
        "ContainerIDFile": "",
        "LogConfig": {"Type": "", "Config": {}},
        "NetworkMode": "none",
        "PortBindings": {},
        "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
        "AutoRemove": True,
        "VolumeDriver": "",
        "VolumesFrom": None,
        "CapAdd": None,
        "CapDrop": ["ALL"],
        "CgroupnsMode": "",
        "Dns": [],
        "DnsOptions": [],
        "DnsSearch": [],
        "ExtraHosts": None,
        "GroupAdd": None,
        "IpcMode": "",
        "Cgroup": "",
        "Links": None,
        "OomScoreAdj": 0,
        "PidMode": "",
        "Privileged": False,
        "PublishAllPorts": False,
        "ReadonlyRootfs": True,
        "SecurityOpt": ["no-new-privileges"],
        "UTSMode": "",
        "UsernsMode": "",
        "ShmSize": 0,
        "ConsoleSize": [0, 0],
        "Isolation": "",
        "CpuShares": 0,
        "Memory": 67108864,
        "NanoCpus": 500000000,
        "CgroupParent": "",
        "BlkioWeight": 0,
        "Devices": [],
        "DeviceCgroupRules": None,
        "PidsLimit": 64,
        "Ulimits": None,
        "MaskedPaths": None,
        "ReadonlyPaths": None,
    }
    body: dict[str, object] = {
        "Hostname": "",
        "Domainname": "",
        "User": "1000",
        "AttachStdin": False,
        "AttachStdout": True,
        "AttachStderr": True,
        "Tty": False,
        "OpenStdin": False,
        "StdinOnce": False,
        "Env": ["APP_MODE=test", "LANG=C.UTF-8"],
        "Cmd": ["sh", "-c", "echo hello"],
        "Image": "127.0.0.1:5000/team/app:1.2",
        "Volumes": {},
        "WorkingDir": "",
        "Entrypoint": None,
        "OnBuild": None,
        "Labels": {"team": "web"},
        "HostConfig": host,
        "NetworkingConfig": {"EndpointsConfig": {}},
    }
    for key, value in overrides.items():
        if key.startswith("HostConfig."):
            host[key.removeprefix("HostConfig.")] = value
        else:
            body[key] = value
    return body


def _decision_mix() -> list[tuple[Subject, ApiRequest]]:
    dev = Subject(
        SubjectKind.USER, "dev", uid=1001, gid=1001, groups=frozenset({"docker-developers"})
    )
    admin = Subject(SubjectKind.USER, "root", uid=0, gid=0)
    lowered = _create_body()
    lowered["hostconfig"] = {"privileged": True}
    bodies = [
        _create_body(),
        _create_body(**{"HostConfig.Privileged": True}),
        _create_body(**{"HostConfig.Binds": ["/etc:/host-etc:ro"]}),
        _create_body(**{"HostConfig.NetworkMode": "host"}),
        _create_body(User=""),
        _create_body(**{"HostConfig.Memory": 0}),
        _create_body(**{"HostConfig.CapAdd": ["SYS_ADMIN"]}),
        lowered,
        _create_body(**{"HostConfig.DeviceCgroupRules": ["b *:* rwm"]}),
    ]
    mix = []
    for body in bodies:
        raw = json.dumps(body).encode()
        req = normalise(
            "POST",
            "/v1.41/containers/create",
            body=raw,
            body_sent=True,
            content_type="application/json",
        )
        mix.append((dev, req))
    mix.append((admin, mix[1][1]))
    return mix


def _merged_policy(tmp: Path) -> Policy:
    roles: dict[str, object] = {}
    for name in ("developer", "admin"):
        roles.update(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())["roles"])
    doc = {
        "version": 1,
        "roles": roles,
        "bindings": [
            {"role": "developer", "groups": ["docker-developers"]},
            {"role": "admin", "users": ["root"]},
        ],
    }
    path = tmp / "bench-policy.yaml"
    path.write_text(yaml.safe_dump(doc))
    return load_policy(path)


def bench_decide(seconds: float, tmp: Path) -> Row:
    """Decisions per second of ``decide()`` over the create mix."""
    policy = _merged_policy(tmp)
    mix = _decision_mix()
    context = Context(edge="proxy")
    allowed = sum(decide(policy, s, r, context).allow for s, r in mix)
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for subject, request in mix:
            decide(policy, subject, request, context)
        n += len(mix)
    rate = n / (time.perf_counter() - start)
    return ("decide(): create mix", "", f"{rate:,.0f}/s", f"{allowed}/{len(mix)} allowed")


# -- (b) latency at a fixed rate -----------------------------------------------------------


def _http_get(sock: socket.socket, path: bytes, buf: bytearray) -> None:
    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: docker\r\n\r\n")
    while (i := buf.find(b"\r\n\r\n")) < 0:
        buf += sock.recv(65536)
    head = bytes(buf[: i + 4]).lower()
    del buf[: i + 4]
    length = int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
    while len(buf) < length:
        buf += sock.recv(65536)
    del buf[:length]


def open_loop(path: str, rate: float, seconds: float, url: bytes, workers: int = 8) -> list[float]:
    """Latencies (s) of requests scheduled at ``rate``/s, measured from their scheduled time."""
    total = int(rate * seconds)
    lat = [0.0] * total
    lock = threading.Lock()
    counter = iter(range(total))
    socks = []
    for _ in range(workers):
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        socks.append(s)
    t0 = time.perf_counter() + 0.2

    def worker(sock: socket.socket) -> None:
        buf = bytearray()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            _http_get(sock, url, buf)
            lat[i] = time.perf_counter() - due

    threads = [threading.Thread(target=worker, args=(s,)) for s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in socks:
        s.close()
    return lat


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] * 1000


def bench_latency(proxy: str, rate: float, seconds: float, url: bytes) -> list[Row]:
    """p50/p99 direct and through the proxy, and the difference."""
    open_loop(ENGINE, rate, 1.0, url)  # warm both paths up
    open_loop(proxy, rate, 1.0, url)
    direct = open_loop(ENGINE, rate, seconds, url)
    proxied = open_loop(proxy, rate, seconds, url)
    rows = []
    for q in (50, 99):
        d, p = _pct(direct, q), _pct(proxied, q)
        rows.append(
            (
                f"GET {url.decode()} @{rate:.0f}/s p{q}",
                f"{d:.2f} ms",
                f"{p:.2f} ms",
                f"{p - d:+.2f} ms",
            )
        )
    return rows


# -- (c) docker save / load ----------------------------------------------------------------


def make_big_image(tag: str, size_mb: int, tmp: Path) -> int:
    """``docker import`` a root filesystem holding one random (incompressible) file."""
    tar_path = tmp / "rootfs.tar"
    size = size_mb * 1024 * 1024
    with tarfile.open(tar_path, "w") as tar:
        info = tarfile.TarInfo("blob.bin")
        info.size = size
        data = io.BytesIO(os.urandom(size))
        tar.addfile(info, data)
    subprocess.run(
        ["docker", "-H", f"unix://{ENGINE}", "import", str(tar_path), tag],
        check=True,
        capture_output=True,
    )
    tar_path.unlink()
    return size


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: {proc.stderr.decode(errors='replace')[-300:]}")
    return time.perf_counter() - start


def bench_save_load(proxy: str, tag: str, size: int, runs: int, tmp: Path) -> list[Row]:
    """Median throughput of save and load, direct and proxied, alternating."""
    hosts = {"direct": f"unix://{ENGINE}", "proxy": f"unix://{proxy}"}
    tar = tmp / "saved.tar"
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(runs):
        for name, host in hosts.items():
            t = _timed(["docker", "-H", host, "save", "-o", str(tar), tag])
            times.setdefault(("save", name), []).append(t)
    saved = tar.stat().st_size
    for _ in range(runs):
        for name, host in hosts.items():
            docker("rmi", tag)
            t = _timed(["docker", "-H", host, "load", "-i", str(tar)])
            times.setdefault(("load", name), []).append(t)
    rows = []
    for op, nbytes in (("save", saved), ("load", saved)):
        d = nbytes / statistics.median(times[(op, "direct")]) / 1e6
        p = nbytes / statistics.median(times[(op, "proxy")]) / 1e6
        label = f"docker {op} {size / 1e6:.0f} MB"
        rows.append((label, f"{d:.0f} MB/s", f"{p:.0f} MB/s", f"{p / d:.0%} of direct"))
    return rows


# -- the proxy process and the table -----------------------------------------------------


def start_proxy(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``seawall authz proxy`` with the admin example policy (binds root), decision log on."""
    sock = str(tmp / "run" / "proxy.sock")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "seawall",
            "authz",
            "proxy",
            "--policy",
            str(EXAMPLES / "admin.yaml"),
            "--listen",
            f"unix://{sock}",
            "--upstream",
            f"unix://{ENGINE}",
            "--log",
            str(tmp / "decisions.log"),
        ],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not os.path.exists(sock):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the proxy did not start")
        time.sleep(0.1)
    return proc, sock


def print_table(rows: list[Row]) -> None:
    """One aligned table on stdout."""
    header: Row = ("benchmark", "direct", "proxy", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def step(what: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"... {what}", file=sys.stderr, flush=True)


def main() -> int:
    """Run (a), (b) and (c) and print the table."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="short run: 2 s, 3 s, 50 MB, 1 run")
    ap.add_argument("--rate", type=float, default=500.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--url", default="/_ping")
    ns = ap.parse_args()
    if ns.quick:
        ns.seconds, ns.size_mb, ns.runs = 3.0, 50, 1
    reason = engine_ok()
    if reason:
        raise SystemExit(f"engine not reachable: {reason}")
    tmp = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-"))
    tag = f"{PREFIX}/big:1"
    proc: subprocess.Popen[bytes] | None = None
    rows: list[Row] = []
    try:
        step("decide()")
        rows.append(bench_decide(2.0 if ns.quick else 5.0, tmp))
        proc, sock = start_proxy(tmp)
        step(f"open loop at {ns.rate:.0f}/s, {ns.seconds:.0f} s each way")
        rows += bench_latency(sock, ns.rate, ns.seconds, ns.url.encode())
        step(f"building a {ns.size_mb} MB image")
        size = make_big_image(tag, ns.size_mb, tmp)
        step("docker save / load")
        rows += bench_save_load(sock, tag, size, ns.runs, tmp)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
        docker("rmi", "-f", tag, check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"cores={os.cpu_count()}  (added latency target: p50 <= 1 ms, p99 <= 5 ms; "
        "save/load target >= 90% of direct; decide target >= 20,000/s)"
    )
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
