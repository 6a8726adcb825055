"""The gobinary analyzer on real Go builds (differential against ``go version -m``) and on
synthetic layouts (pre-1.18 pointers, 32-bit, big-endian, no section headers), plus damage.

The real binaries come from a tiny module importing golang.org/x/text, vendored from Debian's
golang-golang-x-text-dev and built offline (``-mod=vendor``, ``GOPROXY=off``) once per session
for amd64 and 386 (32-bit), and once with ``-ldflags -X``. Big-endian layouts are covered by
the synthetic ELFs (a real s390x build would compile the standard library: ~10 s more).
The Go build cache is kept between runs (``$SEAWALL_TEST_CACHE/go-build``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import gobinary
from seawall.inventory.analyzers._gobuildinfo import BuildInfo, parse_modinfo
from tests.inventory._bin_support import (
    GO_MAGIC,
    Sec,
    build_elf,
    bytes_input,
    go_inline_elf,
    go_pointer_elf,
    uvarint,
)
from tests.inventory._fixtures import disk_input

XTEXT = Path("/usr/share/gocode/src/golang.org/x/text")
#: Go's build cache is content-addressed and safe to share, so it lives with the other
#: between-run test caches: a warm run links the binaries in about a second.
TEST_CACHE = Path(os.environ.get("SEAWALL_TEST_CACHE", "/var/cache/seawall-test"))
MODULE = "example.com/seawall/gohello"
MAIN_GO = """package main

import (
\t"fmt"

\t"golang.org/x/text/cases"
\t"golang.org/x/text/language"
)

var version = "dev"

func main() {
\tfmt.Println(cases.Title(language.English).String("hello from seawall"), version)
}
"""
VARIANTS = {
    "amd64": ("amd64", []),
    "386": ("386", []),
    "ldflags": ("amd64", ["-ldflags=-X main.version=1.4.2"]),
}


def debian_xtext_version() -> str:
    """The upstream version of Debian's golang-golang-x-text-dev, Go-spelled (``v0.7.0``)."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "golang-golang-x-text-dev"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    upstream = out.split(":")[-1].rsplit("-", 1)[0]
    match = re.match(r"^\d+\.\d+\.\d+", upstream)
    assert match, out
    return "v" + match.group(0)


def _module_dir(base: Path, xtext_version: str) -> Path:
    mod = base / "src"
    (mod / "vendor/golang.org/x").mkdir(parents=True)
    (mod / "vendor/golang.org/x/text").symlink_to(XTEXT)
    (mod / "go.mod").write_text(
        f"module {MODULE}\n\ngo 1.19\n\nrequire golang.org/x/text {xtext_version}\n"
    )
    (mod / "main.go").write_text(MAIN_GO)
    go_line = re.search(r"^go (\S+)$", (XTEXT / "go.mod").read_text(), re.M)
    packages = sorted(
        {
            "golang.org/x/text/" + p.parent.relative_to(XTEXT).as_posix()
            if p.parent != XTEXT
            else "golang.org/x/text"
            for p in XTEXT.rglob("*.go")
            if not p.name.endswith("_test.go") and "testdata" not in p.parts
        }
    )
    explicit = f"## explicit; go {go_line.group(1)}" if go_line else "## explicit"
    (mod / "vendor/modules.txt").write_text(
        "\n".join([f"# golang.org/x/text {xtext_version}", explicit, *packages]) + "\n"
    )
    return mod


@pytest.fixture(scope="session")
def go_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The test module built offline for every variant (in parallel), once per session."""
    go = shutil.which("go")
    if go is None or not XTEXT.is_dir():
        pytest.fail(
            "golang-go and golang-golang-x-text-dev are required (scripts/test.sh installs them)"
        )
    base = tmp_path_factory.mktemp("gobuild")
    mod = _module_dir(base, debian_xtext_version())
    gocache = TEST_CACHE / "go-build"
    try:
        gocache.mkdir(parents=True, exist_ok=True)
    except OSError:
        gocache = base / "cache"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(base),
        "GOCACHE": str(gocache),
        "GOPATH": str(base / "gopath"),
        "GOFLAGS": "-mod=vendor",
        "GOPROXY": "off",
        "GOSUMDB": "off",
        "GOTOOLCHAIN": "local",
        "GOWORK": "off",
        "GOENV": "off",
        "CGO_ENABLED": "0",
    }
    procs = {
        name: subprocess.Popen(
            [go, "build", *flags, "-o", str(base / f"hello-{name}"), "."],
            cwd=mod,
            env={**env, "GOARCH": arch},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for name, (arch, flags) in VARIANTS.items()
    }
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"go build ({name}) failed:\n{out.decode(errors='replace')}"
    return {name: base / f"hello-{name}" for name in VARIANTS}


def go_version_m(binary: Path) -> tuple[str, dict[str, list[str]]]:
    """``go version -m``: the Go version and the tab-separated lines grouped by kind."""
    out = subprocess.run(
        ["go", "version", "-m", str(binary)], capture_output=True, text=True, check=True
    ).stdout
    first, *rest = out.splitlines()
    lines: dict[str, list[str]] = {}
    for line in rest:
        kind, _, value = line.strip().partition("\t")
        lines.setdefault(kind, []).append(value.strip("\t"))
    return first.split(": ", 1)[1], lines


def analyze(
    binary: Path, image_path: str = "/usr/local/bin/hello"
) -> dict[str, tuple[str, str, dict[str, str]]]:
    found = gobinary.analyze.analyze(disk_input(binary, image_path))
    assert not found.notes
    return {p.name: (p.version, p.purl, dict(p.properties)) for p in found.packages}


@pytest.mark.parametrize("variant", ["amd64", "386"])
def test_real_build_matches_go_version_m(go_builds: dict[str, Path], variant: str) -> None:
    binary = go_builds[variant]
    go_version, lines = go_version_m(binary)
    got = analyze(binary)
    xtext = debian_xtext_version()
    # The dependency, at the version Debian ships, as `go version -m` prints it.
    assert [d.split("\t")[:2] for d in lines["dep"]] == [["golang.org/x/text", xtext]]
    assert got["golang.org/x/text"][:2] == (xtext, f"pkg:golang/golang.org/x/text@{xtext}")
    # The toolchain, as stdlib and as a property of every package.
    assert got["stdlib"][0] == "v" + go_version.removeprefix("go")
    assert all(props["go.toolchain"] == go_version for _, _, props in got.values())
    # The main module: (devel) is reported as an unknown version.
    assert lines["mod"][0].split("\t")[:2] == [MODULE, "(devel)"]
    assert got[MODULE][:2] == ("", f"pkg:golang/{MODULE}")
    assert got[MODULE][2]["go.build.GOARCH"] == variant
    assert set(got) == {MODULE, "stdlib", "golang.org/x/text"}


def test_ldflags_version_is_used_for_a_devel_main_module(go_builds: dict[str, Path]) -> None:
    got = analyze(go_builds["ldflags"])
    assert got[MODULE][0] == "v1.4.2"
    assert got[MODULE][2]["go.version-source"] == "ldflags"
    assert "-ldflags" not in str(got[MODULE][2])  # never copied into the SBOM (may hold secrets)


def test_non_executable_and_non_elf_files_are_ignored(go_builds: dict[str, Path]) -> None:
    assert (
        gobinary.analyze.analyze(
            disk_input(go_builds["amd64"], "/usr/bin/hello", mode=0o100644)
        ).packages
        == ()
    )
    assert (
        gobinary.analyze.analyze(bytes_input("/usr/bin/sh-script", b"#!/bin/sh\n")).packages == ()
    )
    assert gobinary.analyze.analyze(bytes_input("/usr/bin/empty", b"")).packages == ()


MODINFO = "path\texample.com/a\nmod\texample.com/a\tv1.2.3\th1:x=\ndep\tgithub.com/Foo/Bar\tv0.1.0\th1:y=\n"


@pytest.mark.parametrize("is64", [True, False])
@pytest.mark.parametrize("little", [True, False])
@pytest.mark.parametrize("layout", ["inline", "pointer", "pointer-no-sections"])
def test_synthetic_layouts(is64: bool, little: bool, layout: str) -> None:
    if layout == "inline":
        data = go_inline_elf("go1.20.3", MODINFO, is64=is64, little=little)
    else:
        data = go_pointer_elf(
            "go1.20.3", MODINFO, is64=is64, little=little, strip_sections=layout != "pointer"
        )
    found = gobinary.analyze.analyze(bytes_input("/app/a", data))
    assert [(p.name, p.version, p.purl) for p in found.packages] == [
        ("example.com/a", "v1.2.3", "pkg:golang/example.com/a@v1.2.3"),
        ("stdlib", "v1.20.3", "pkg:golang/stdlib@v1.20.3"),
        ("github.com/Foo/Bar", "v0.1.0", "pkg:golang/github.com/foo/bar@v0.1.0"),
    ]


def test_go_toolchain_binary_without_module_reports_stdlib_only() -> None:
    data = go_inline_elf("go1.19.8 X:boringcrypto", "path\tcmd/go\nbuild\t-compiler=gc\n")
    found = gobinary.analyze.analyze(bytes_input("/usr/local/go/bin/go", data))
    assert [(p.name, p.version) for p in found.packages] == [("stdlib", "v1.19.8")]
    devel = go_inline_elf("devel go1.23-abcdef Tue Jan 1 2024", "")
    assert gobinary.analyze.analyze(bytes_input("/usr/bin/x", devel)).packages == ()


def test_misaligned_magic_is_not_build_info() -> None:
    blob = b"\0" * 3 + GO_MAGIC + bytes([8, 2]) + bytes(16) + uvarint(6) + b"go1.20" + uvarint(0)
    data = build_elf([Sec(".go.buildinfo", blob, 0x400000)])
    assert gobinary.analyze.analyze(bytes_input("/usr/bin/x", data)).packages == ()


HOSTILE = {
    "huge varint length": GO_MAGIC + bytes([8, 2]) + bytes(16) + uvarint(2**40) + b"go1.20",
    "length past the section": GO_MAGIC + bytes([8, 2]) + bytes(16) + uvarint(100) + b"go1.20",
    "endless varint": GO_MAGIC + bytes([8, 2]) + bytes(16) + b"\xff" * 12,
    "bad pointer size": GO_MAGIC + bytes([3, 2]) + bytes(16) + uvarint(6) + b"go1.20",
    "unmapped pointers": GO_MAGIC + bytes([8, 0]) + (0xDEAD0000).to_bytes(8, "little") * 2,
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_damaged_build_info_is_one_line_error(case: str) -> None:
    data = build_elf([Sec(".go.buildinfo", HOSTILE[case].ljust(32, b"\0"), 0x400000)])
    with pytest.raises(AnalyzerError) as err:
        gobinary.analyze.analyze(bytes_input("/usr/bin/evil", data))
    assert err.value.message.startswith("/usr/bin/evil: ")
    assert "\n" not in err.value.message


def test_pointer_to_a_huge_string_is_refused() -> None:
    data = bytearray(go_pointer_elf("go1.16", "mod\tx\tv1\t\n"))
    # The module info's string header is {0x500006, length}: claim 1 GiB instead.
    pos = data.find((0x500000 + len("go1.16")).to_bytes(8, "little"))
    assert pos > 0
    data[pos + 8 : pos + 16] = (1 << 30).to_bytes(8, "little")
    with pytest.raises(AnalyzerError, match="over the"):
        gobinary.analyze.analyze(bytes_input("/usr/bin/evil", bytes(data)))


def test_modinfo_parser_is_lenient_and_bounded() -> None:
    text = 'garbage\n=>\torphan\tv1\t\ndep\t\tv1\t\ndep\tok/mod\tv1.0.0\nbuild\t"we ird"="a\\tb"\nbuild\tnoequals\n'
    info = parse_modinfo(text)
    assert [d.path for d in info.deps] == ["ok/mod"]
    assert ("we ird", "a\tb") in info.settings
    many = "".join(f"dep\tm{i}\tv1.0.0\t\n" for i in range(20_100))
    assert len(parse_modinfo(many).deps) == 20_000


def test_ldflags_version_ranking() -> None:
    settings = (
        (
            "-ldflags",
            "-X example.com/t/cmd/t/v.Version=v3.0.0 -X main.version=2.0.0 -X other.pkg.Ver=1.0.0",
        ),
    )
    assert gobinary.ldflags_version(settings, "example.com/t") == "v3.0.0"
    assert (
        gobinary.ldflags_version(
            (("-ldflags", "-X main.version=1.0.0 -X=version.Version=1.1.0"),), "m"
        )
        == ""
    )
    assert (
        gobinary.ldflags_version((("-ldflags", "-X 'main.version=1.0.0"),), "m") == ""
    )  # bad quoting
    assert gobinary.ldflags_version((("-ldflags", "-X main.version=notsemver"),), "m") == ""
    assert (
        gobinary.ldflags_version((("-ldflags", "-X=main.version=1.2.3-rc.1"),), "m") == "1.2.3-rc.1"
    )


#: Go programs that scripts/test.sh installs from Debian (golang-go, docker.io, skopeo,
#: docker-registry): real, larger binaries built by Debian's own toolchain.
SYSTEM_GO_PROGRAMS = ("go", "gofmt", "dockerd", "containerd", "skopeo", "docker-registry")


def expected_deps(binary: Path) -> list[tuple[str, str]]:
    """(module, version) per ``dep`` of ``go version -m``, a versioned ``=>`` replacing it."""
    out = subprocess.run(
        ["go", "version", "-m", str(binary)], capture_output=True, text=True, check=True
    ).stdout
    deps: list[tuple[str, str]] = []
    for line in out.splitlines()[1:]:
        kind, *fields = line.strip().split("\t")
        if kind == "dep":
            deps.append((fields[0], fields[1]))
        elif kind == "=>" and not fields[0].startswith(("./", "../", "/")) and deps:
            deps[-1] = (fields[0], fields[1])  # a module replacement; directories keep the original
    return [(path, "" if version == "(devel)" else version) for path, version in deps]


@pytest.mark.parametrize("program", SYSTEM_GO_PROGRAMS)
def test_installed_go_programs_match_go_version_m(program: str) -> None:
    found_path = shutil.which(program)
    if found_path is None:
        pytest.fail(f"{program} is required (scripts/test.sh installs it)")
    binary = Path(found_path).resolve()
    go_version, _ = go_version_m(binary)
    found = gobinary.analyze.analyze(disk_input(binary, f"/usr/bin/{program}"))
    assert {p.name: p.version for p in found.packages}["stdlib"] == "v" + go_version.removeprefix(
        "go"
    )
    main = [p for p in found.packages if dict(p.properties).get("go.main")]
    deps = [(p.name, p.version) for p in found.packages if p not in main and p.name != "stdlib"]
    assert deps == expected_deps(binary)


def test_replacements_and_devel_dependencies() -> None:
    modinfo = "\n".join(
        [
            "mod\texample.com/app\t(devel)\t",
            "dep\texample.com/app/sub\tv0.0.0-00010101000000-000000000000",
            "=>\t./sub\t(devel)\t",  # a directory, as terraform's workspace modules
            "dep\tk8s.io/api\t(devel)\t",  # a workspace module with no version, as kubectl's
            "dep\tgithub.com/old/mod\tv1.0.0\th1:a=",
            "=>\tgithub.com/new/mod\tv1.1.0\th1:b=",
            "dep\tgithub.com/abs/mod\tv2.0.0\th1:c=",
            "=>\t/src/mod\t",
            "",
        ]
    )
    packages = gobinary.packages_from(BuildInfo("go1.22.1", modinfo), "/app/x")
    got = {
        p.name: (p.version, {k: v for k, v in p.properties if k.startswith("go.repl")})
        for p in packages
    }
    assert got == {
        "example.com/app": ("", {}),
        "stdlib": ("v1.22.1", {}),
        "example.com/app/sub": ("v0.0.0-00010101000000-000000000000", {"go.replaced-by": "./sub"}),
        "k8s.io/api": ("", {}),
        "github.com/new/mod": ("v1.1.0", {"go.replaces": "github.com/old/mod@v1.0.0"}),
        "github.com/abs/mod": ("v2.0.0", {"go.replaced-by": "/src/mod"}),
    }
