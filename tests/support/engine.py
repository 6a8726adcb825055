"""Test and benchmark support: build images from local root filesystems on the real engine.

No registry and no pulls: the base image is a ``docker import`` of a tarball holding Debian's
static busybox, plus a tiny static ``sshd`` stand-in (compiled here with gcc) so the sshd check
can be exercised with a real process. Everything created carries a caller-chosen prefix.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ENDPOINT = "unix:///var/run/docker.sock"
BUSYBOX = "/bin/busybox"
APPLETS = ("sh", "ls", "cat", "sleep", "true", "id", "ps", "echo", "touch", "rm", "mkdir")


def docker(*args: str, check: bool = True, input_bytes: bytes | None = None) -> str:
    """Run the docker CLI against the test engine and return stdout."""
    proc = subprocess.run(
        ["docker", "-H", ENDPOINT, *args],
        input=input_bytes,
        capture_output=True,
        timeout=300,
        check=False,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"docker {' '.join(args)}: {proc.stderr.decode(errors='replace').strip()}"
        )
    return proc.stdout.decode(errors="replace").strip()


def engine_ok() -> str | None:
    """None when the engine answers, else the reason it does not."""
    if shutil.which("docker") is None:
        return "docker CLI not installed"
    proc = subprocess.run(
        ["docker", "-H", ENDPOINT, "version"], capture_output=True, timeout=30, check=False
    )
    return None if proc.returncode == 0 else proc.stderr.decode(errors="replace").strip()[:300]


def _static_sshd(workdir: Path) -> Path:
    src = workdir / "sshd.c"
    src.write_text("#include <unistd.h>\nint main(void){for(;;)pause();}\n")
    out = workdir / "sshd"
    subprocess.run(
        ["gcc", "-static", "-Os", "-o", str(out), str(src)], check=True, capture_output=True
    )
    return out


def rootfs_tar(with_sshd: bool = True, setuid: bool = True) -> bytes:
    """A minimal root filesystem as a tar: busybox applets, /etc/passwd, optional sshd and setuid file."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=buf, mode="w") as tar:

        def add_dir(name: str, mode: int = 0o755) -> None:
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, mode
            tar.addfile(info)

        def add_file(name: str, data: bytes, mode: int = 0o644) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))

        for d in ("bin", "etc", "tmp", "usr", "usr/sbin", "usr/bin", "var", "run"):
            add_dir(d, 0o1777 if d == "tmp" else 0o755)
        add_file("bin/busybox", Path(BUSYBOX).read_bytes(), 0o755)
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}")
            info.type, info.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(info)
        add_file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/tmp:/bin/sh\n")
        add_file("etc/group", b"root:x:0:\napp:x:1000:\n")
        if with_sshd:
            add_file("usr/sbin/sshd", _static_sshd(Path(tmp)).read_bytes(), 0o755)
        if setuid:
            add_file("usr/bin/su-demo", b"#!/bin/sh\nid\n", 0o4755)
    return buf.getvalue()


def import_image(tag: str, changes: tuple[str, ...] = ('CMD ["/bin/sh"]',), **kw: bool) -> str:
    """``docker import`` a fresh root filesystem as ``tag``; returns the image ID."""
    args = ["import"]
    for c in changes:
        args += ["-c", c]
    docker(*args, "-", tag, input_bytes=rootfs_tar(**kw))
    return docker("image", "inspect", "-f", "{{.Id}}", tag)


def build_image(tag: str, dockerfile: str) -> str:
    """Build ``tag`` from a Dockerfile whose FROM is a local image (legacy builder, no network)."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "Dockerfile").write_text(dockerfile)
        env = dict(os.environ, DOCKER_BUILDKIT="0")
        proc = subprocess.run(
            ["docker", "-H", ENDPOINT, "build", "-q", "-t", tag, tmp],
            capture_output=True,
            timeout=300,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"docker build {tag}: {proc.stderr.decode(errors='replace').strip()}"
            )
    return docker("image", "inspect", "-f", "{{.Id}}", tag)


def remove_prefixed(prefix: str) -> None:
    """Remove containers, networks and images whose names start with ``prefix``."""
    ids = docker("ps", "-aq", "--filter", f"name=^/{prefix}", check=False).split()
    if ids:
        docker("rm", "-f", "-v", *ids, check=False)
    nets = docker("network", "ls", "-q", "--filter", f"name=^{prefix}", check=False).split()
    if nets:
        docker("network", "rm", *nets, check=False)
    images = [
        line.split()[1]
        for line in docker(
            "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", check=False
        ).splitlines()
        if line.startswith(prefix)
    ]
    # Children first: a base image with dependent images is only removed once they are gone.
    for _ in range(3):
        if images:
            docker("rmi", "-f", *sorted(set(images), reverse=True), check=False)


def inspect(name: str) -> dict[str, object]:
    """``docker inspect`` one object."""
    doc = json.loads(docker("inspect", name))
    return dict(doc[0])
