"""One fixed Inventory (and its image) for every SBOM writer test and golden file.

It has a base image and own layers plus a layer of unknown origin, an OS, packages from
several ecosystems (one purl found at two paths, one package with no layer, epochs, source
packages, SPDX ids, an expression, free license text, analyzer properties), a note, unicode,
and secrets in the build history and config that every output must redact. IDs and the clock
are injected, so outputs are stable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from seawall.model.inventory import HistoryEntry, ImageInfo, Inventory, LayerRef, OSInfo, Package
from seawall.output.sbom import SbomOptions

FIXED_UUID = uuid.UUID("8c4f2a9e-3b1d-4e6f-9a7c-5d2e1f0b3c4a")
FIXED_NOW = datetime(2024, 5, 1, 12, 30, 0, tzinfo=UTC)
#: Secret values planted in the fixture; none may appear in any output.
SECRETS = ("hunter2", "s3cr3t-pw", "AKIAIOSFODNN7EXAMPLE", "tok-123456", "ghp_" + "a" * 36)

H = "sha256:"
BASE0 = LayerRef(
    0,
    H + "1" * 64,
    H + "a" * 64,
    29_123_456,
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "/bin/sh -c #(nop) ADD file:0f1e2d in / ",
    True,
)
BASE1 = LayerRef(
    1,
    H + "2" * 64,
    H + "b" * 64,
    1_024,
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "RUN /bin/sh -c apt-get update && apt-get install -y cpp # buildkit",
    True,
)
OWN2 = LayerRef(
    2,
    H + "3" * 64,
    H + "c" * 64,
    5_500_000,
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "RUN |1 PIP_TOKEN=tok-123456 /bin/sh -c curl -fsSL https://deploy:s3cr3t-pw@git.example.com/app.tgz | tar xz "
    "&& pip install requests six",
    False,
)
ODD3 = LayerRef(
    3,
    H + "4" * 64,
    None,
    None,
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "COPY app/ /app/ # buildkit",
    None,
)

CONFIG: dict[str, object] = {
    "User": "app",
    "Entrypoint": ["/app/run", "--token", "tok-123456"],
    "Cmd": ["--port", "8080"],
    "WorkingDir": "/app",
    "ExposedPorts": {"8080/tcp": {}, "9090/udp": {}},
    "Volumes": {"/data": {}},
    "Env": [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "DB_PASSWORD=hunter2",
        "DB_PASSWORD_FILE=/run/secrets/db",
        "TOKENIZERS_PARALLELISM=false",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        'GREETING=naïve ✓ "quoted"',
    ],
    "Labels": {
        "org.opencontainers.image.source": "https://github.com/example/app",
        "github_token": "ghp_" + "a" * 36,
    },
    "StopSignal": "SIGTERM",
    "Healthcheck": ["not", "read"],
}
HISTORY = (
    HistoryEntry(BASE0.created_by, "2024-04-01T00:00:00Z"),
    HistoryEntry('/bin/sh -c #(nop)  CMD ["bash"]', "2024-04-01T00:00:01Z", empty_layer=True),
    HistoryEntry(BASE1.created_by, "2024-04-20T10:00:00Z"),
    HistoryEntry("ENV DB_PASSWORD=hunter2", "2024-04-30T09:00:00Z", "buildkit.dockerfile.v0", True),
    HistoryEntry(OWN2.created_by, "2024-04-30T09:00:05Z", "buildkit.dockerfile.v0"),
    HistoryEntry(ODD3.created_by, "2024-04-30T09:00:09Z", "buildkit.dockerfile.v0"),
)
IMAGE = ImageInfo(
    ref="registry.example.com/team/app:1.4",
    source="docker",
    id=H + "d" * 64,
    digest=H + "e" * 64,
    tags=("registry.example.com/team/app:1.4", "app:latest"),
    os="linux",
    architecture="amd64",
    created="2024-04-30T09:00:10.123456789Z",
    layers=(BASE0, BASE1, OWN2, ODD3),
    config=CONFIG,
    base_image="debian:bookworm@sha256:" + "f" * 64,
    history=HISTORY,
)

_SITE = "/usr/local/lib/python3.11/site-packages"
PACKAGES = (
    Package(
        "libc6",
        "2.36-9+deb12u4",
        "deb",
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
        "dpkg",
        "/var/lib/dpkg/status",
        source_name="glibc",
        arch="amd64",
        licenses=("LGPL-2.1", "GPL-2.0-or-later"),
        maintainer="GNU Libc Maintainers <debian-glibc@lists.debian.org>",
        layer=BASE0,
    ),
    Package(
        "cpp",
        "4:12.2.0-3",
        "deb",
        "pkg:deb/debian/cpp@12.2.0-3?arch=amd64&distro=debian-12&epoch=4",
        "dpkg",
        "/var/lib/dpkg/status",
        source_name="gcc-defaults",
        source_version="1.203",
        epoch=4,
        arch="amd64",
        licenses=("GPL-2+",),
        layer=BASE1,
    ),
    Package(
        "requests",
        "2.31.0",
        "pypi",
        "pkg:pypi/requests@2.31.0",
        "python-pkg",
        f"{_SITE}/requests-2.31.0.dist-info/METADATA",
        licenses=("apache-2.0",),
        layer=OWN2,
    ),
    Package(
        "six",
        "1.16.0",
        "pypi",
        "pkg:pypi/six@1.16.0",
        "python-pkg",
        f"{_SITE}/six-1.16.0.dist-info/METADATA",
        licenses=("MIT",),
        layer=OWN2,
    ),
    Package(
        "six",
        "1.16.0",
        "pypi",
        "pkg:pypi/six@1.16.0",
        "python-pkg",
        "/opt/venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA",
        licenses=("MIT",),
        layer=ODD3,
    ),
    Package(
        "left-pad",
        "1.3.0",
        "npm",
        "pkg:npm/left-pad@1.3.0",
        "npm-pkg",
        "/app/node_modules/left-pad/package.json",
        licenses=("WTFPL OR mit",),
        layer=ODD3,
    ),
    Package(
        "golang.org/x/text",
        "v0.14.0",
        "golang",
        "pkg:golang/golang.org/x/text@v0.14.0",
        "gobinary",
        "/app/bin/server",
        licenses=("BSD-3-Clause", "Copyright (c) 2009 The Go Authors.\nAll rights reserved."),
        layer=ODD3,
        properties=(("go.toolchain", "go1.21.5"), ("go.main", "example.com/server")),
    ),
    Package(
        "naïve-✓",
        "1.0.0-β",
        "gem",
        "pkg:gem/na%C3%AFve-%E2%9C%93@1.0.0-%CE%B2",
        "gem-spec",
        "/usr/lib/ruby/gems/3.1.0/specifications/naïve-✓-1.0.0-β.gemspec",
        licenses=("Ruby", "GPL-2.0+ WITH Classpath-exception-2.0"),
        layer=None,
    ),
)
OS = OSInfo("debian", "12", "Debian GNU/Linux", "Debian GNU/Linux 12 (bookworm)", "bookworm")
INVENTORY = Inventory(
    image=IMAGE,
    packages=PACKAGES,
    os=OS,
    notes=("/dev/sda: device file skipped",),
    generated_at="2024-05-01T12:00:00Z",
)


def fixed_options(**changes: object) -> SbomOptions:
    """Options with the fixed tool version, UUID and clock of the golden files."""
    values: dict[str, object] = {
        "tool_version": "0.1.0",
        "id_factory": lambda: FIXED_UUID,
        "clock": lambda: FIXED_NOW,
    }
    values.update(changes)
    return SbomOptions(**values)  # type: ignore[arg-type]


@pytest.fixture
def inventory() -> Inventory:
    """The fixed inventory."""
    return INVENTORY


@pytest.fixture
def options() -> SbomOptions:
    """Options with fixed identity and clock."""
    return fixed_options()
