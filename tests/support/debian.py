"""The Debian test image for inventory tests and benchmarks, built from real components.

Layer 1 is a ``debootstrap --variant=minbase bookworm`` tree (cached between runs under
``/var/cache/seawall-test``), imported with ``docker import``. Later layers (legacy builder,
no network inside the build) plant real packages: Python distributions installed from PyPI
with pip, an npm package with its lock file installed from the npm registry, a jar built with
the JDK, a Ruby gemspec, and a Go binary built offline against Debian's vendored
golang.org/x/text. A last layer removes a Python package (whiteouts) and a Debian package
(rewritten dpkg database), so absence is tested too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.engine import docker

CACHE = Path(os.environ.get("SEAWALL_TEST_CACHE", "/var/cache/seawall-test"))
ROOTFS = CACHE / "bookworm"
MIRROR = "http://deb.debian.org/debian"

PY_PACKAGES = {"six": "1.16.0", "idna": "3.7", "attrs": "23.2.0"}
REMOVED_PY = "six"
REMOVED_DEB = "logsave"
NPM_PACKAGE = ("is-number", "7.0.0")
JAR = ("org.example.seawall", "demo-lib", "1.4.2")
GEM = ("rack", "3.0.8")
GO_TEXT = "v0.7.0"


@dataclass(frozen=True)
class DebianImage:
    """Tag of the built image and what was planted where (layer indexes, 0-based)."""

    tag: str
    base_tag: str
    layers: dict[str, int]


def ensure_rootfs() -> Path:
    """The cached debootstrap tree, created on first use (a few minutes, then cached)."""
    if (ROOTFS / "var/lib/dpkg/status").is_file():
        return ROOTFS
    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / "bookworm.partial"
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(work), MIRROR],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    work.rename(ROOTFS)
    return ROOTFS


def _rootfs_tar(dest: Path) -> None:
    with tarfile.open(dest, "w") as tar:
        for entry in sorted(os.listdir(ROOTFS)):
            if entry in ("proc", "sys", "dev"):
                info = tarfile.TarInfo(entry)
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
                continue
            tar.add(ROOTFS / entry, arcname=entry)


def _python(ctx: Path) -> None:
    target = ctx / "py"
    subprocess.run(
        [
            "python3",
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-compile",
            "--target",
            str(target),
            *(f"{n}=={v}" for n, v in PY_PACKAGES.items()),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(target / "bin", ignore_errors=True)


def _npm(ctx: Path) -> None:
    app = ctx / "app"
    app.mkdir()
    (app / "package.json").write_text(
        json.dumps({"name": "seawall-demo-app", "version": "1.0.0", "private": True})
    )
    name, version = NPM_PACKAGE
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", f"{name}@{version}"],
        cwd=app,
        check=True,
        capture_output=True,
        timeout=600,
    )


def _jar(ctx: Path) -> None:
    group, artifact, version = JAR
    src = ctx / "jarsrc"
    meta = src / "META-INF" / "maven" / group / artifact
    meta.mkdir(parents=True)
    (meta / "pom.properties").write_text(
        f"groupId={group}\nartifactId={artifact}\nversion={version}\n"
    )
    (src / "Demo.java").write_text("public class Demo { public static void main(String[] a) {} }\n")
    subprocess.run(
        ["javac", "-d", str(src), str(src / "Demo.java")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (src / "Demo.java").unlink()
    (ctx / "opt").mkdir()
    subprocess.run(
        ["jar", "cf", str(ctx / "opt" / f"{artifact}-{version}.jar"), "-C", str(src), "."],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _gem(ctx: Path) -> None:
    name, version = GEM
    spec = ctx / "gems" / "specifications"
    spec.mkdir(parents=True)
    (spec / f"{name}-{version}.gemspec").write_text(
        f'# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = "{name}".freeze\n'
        f'  s.version = "{version}".freeze\n  s.licenses = ["MIT".freeze]\nend\n'
    )


def _go(ctx: Path) -> None:
    mod = ctx / "gosrc"
    vendor = mod / "vendor" / "golang.org" / "x" / "text"
    vendor.parent.mkdir(parents=True)
    shutil.copytree("/usr/share/gocode/src/golang.org/x/text", vendor, symlinks=True)
    (mod / "go.mod").write_text(
        f"module example.com/seawall-demo\n\ngo 1.19\n\nrequire golang.org/x/text {GO_TEXT}\n"
    )
    (mod / "vendor" / "modules.txt").write_text(
        f"# golang.org/x/text {GO_TEXT}\n## explicit\ngolang.org/x/text/language\n"
        "golang.org/x/text/internal/language\ngolang.org/x/text/internal/language/compact\n"
        "golang.org/x/text/internal/tag\n"
    )
    (mod / "main.go").write_text(
        'package main\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/text/language"\n)\n\n'
        "func main() { fmt.Println(language.English) }\n"
    )
    env = {
        **os.environ,
        "GOFLAGS": "-mod=vendor",
        "GOPROXY": "off",
        "CGO_ENABLED": "0",
        "GOCACHE": str(ctx / "gocache"),
        "GOPATH": str(ctx / "gopath"),
    }
    (ctx / "bin").mkdir()
    subprocess.run(
        ["go", "build", "-o", str(ctx / "bin" / "seawall-demo"), "."],
        cwd=mod,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


DOCKERFILE = """FROM {base}
COPY py/ /usr/lib/python3/dist-packages/
COPY app/ /app/
COPY opt/ /opt/
COPY gems/ /var/lib/gems/3.1.0/
COPY bin/ /usr/local/bin/
RUN rm -rf /usr/lib/python3/dist-packages/{removed_py}-*.dist-info /usr/lib/python3/dist-packages/{removed_py}.py \\
 && dpkg --purge --force-depends --force-remove-essential {removed_deb} >/dev/null 2>&1
"""
#: Layer index of each planted thing (0 is the debootstrap tree).
LAYERS = {"base": 0, "python": 1, "npm": 2, "jar": 3, "gem": 4, "go": 5, "removal": 6}


def build_debian_image(prefix: str) -> DebianImage:
    """Build (or reuse, if already built under this prefix) the layered Debian test image."""
    tag, base_tag = f"{prefix}/debian-inventory:1", f"{prefix}/debian-base:12"
    if docker("images", "-q", tag, check=False):
        return DebianImage(tag, base_tag, LAYERS)
    ensure_rootfs()
    with tempfile.TemporaryDirectory(prefix="seawall-debimg-") as tmp:
        ctx = Path(tmp)
        rootfs_tar = ctx.parent / f"{ctx.name}-rootfs.tar"
        try:
            _rootfs_tar(rootfs_tar)
            subprocess.run(
                ["docker", "import", str(rootfs_tar), base_tag],
                check=True,
                capture_output=True,
                timeout=600,
            )
        finally:
            rootfs_tar.unlink(missing_ok=True)
        for step in (_python, _npm, _jar, _gem, _go):
            step(ctx)
        shutil.rmtree(ctx / "gocache", ignore_errors=True)
        shutil.rmtree(ctx / "gopath", ignore_errors=True)
        shutil.rmtree(ctx / "gosrc", ignore_errors=True)
        shutil.rmtree(ctx / "jarsrc", ignore_errors=True)
        (ctx / "Dockerfile").write_text(
            DOCKERFILE.format(base=base_tag, removed_py=REMOVED_PY, removed_deb=REMOVED_DEB)
        )
        env = {**os.environ, "DOCKER_BUILDKIT": "0"}
        proc = subprocess.run(
            ["docker", "build", "-q", "-t", tag, str(ctx)],
            env=env,
            capture_output=True,
            timeout=900,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"docker build {tag}: {proc.stderr.decode(errors='replace')[-2000:]}"
            )
    return DebianImage(tag, base_tag, LAYERS)


def dpkg_truth(tag: str) -> set[tuple[str, str, str]]:
    """(package, version, source:Version) as the image's own dpkg-query reports them."""
    out = docker(
        "run",
        "--rm",
        "--network",
        "none",
        tag,
        "dpkg-query",
        "-W",
        "-f",
        "${Package} ${Version} ${source:Package} ${source:Version}\\n",
    )
    rows = set()
    for line in out.splitlines():
        name, version, src, src_version = line.split(" ")
        rows.add((name, version, f"{src} {src_version}"))
    return rows
