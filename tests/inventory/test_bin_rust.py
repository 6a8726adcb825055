"""The rust-binary analyzer: a real ELF (gcc) given a ``.dep-v0`` section with objcopy, as
cargo-auditable links it, plus synthetic 32-bit/big-endian ELFs and hostile payloads.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import rust_binary
from tests.inventory._bin_support import CARGO_PACKAGES, bytes_input, dep_v0, rust_elf
from tests.inventory._fixtures import disk_input

C_PROGRAM = '#include <stdio.h>\nint main(void) { puts("seawall"); return 0; }\n'


@pytest.fixture(scope="session")
def plain_elf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real executable compiled with gcc."""
    if shutil.which("gcc") is None or shutil.which("objcopy") is None:
        pytest.fail("gcc and objcopy (binutils) are required (scripts/test.sh installs them)")
    base = tmp_path_factory.mktemp("rustbin")
    (base / "main.c").write_text(C_PROGRAM)
    subprocess.run(
        ["gcc", "-O2", "-o", str(base / "plain"), str(base / "main.c")],
        check=True,
        capture_output=True,
    )
    return base / "plain"


def with_dep_v0(plain: Path, payload: bytes, out: Path) -> Path:
    """``plain`` plus a ``.dep-v0`` section holding ``payload`` (objcopy, as the brief's recipe)."""
    section = out.with_suffix(".dep")
    section.write_bytes(payload)
    subprocess.run(
        [
            "objcopy",
            f"--add-section=.dep-v0={section}",
            "--set-section-flags=.dep-v0=noload,readonly",
            str(plain),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_real_elf_with_objcopy_section(plain_elf: Path, tmp_path: Path) -> None:
    binary = with_dep_v0(plain_elf, dep_v0(CARGO_PACKAGES), tmp_path / "rg-lite")
    readelf = subprocess.run(
        ["readelf", "-S", str(binary)], capture_output=True, text=True, check=True
    ).stdout
    assert ".dep-v0" in readelf
    found = rust_binary.analyze.analyze(disk_input(binary, "/usr/local/bin/rg-lite"))
    got = {(p.name, p.version, p.purl): dict(p.properties) for p in found.packages}
    assert got == {
        ("rg-lite", "0.3.0", "pkg:cargo/rg-lite@0.3.0"): {
            "cargo.root": "true",
            "cargo.source": "local",
        },
        ("memchr", "2.6.4", "pkg:cargo/memchr@2.6.4"): {},
        ("regex", "1.10.2", "pkg:cargo/regex@1.10.2"): {},
        ("private-util", "0.1.0", "pkg:cargo/private-util@0.1.0"): {"cargo.source": "registry"},
    }  # "cc" is a build dependency: not in the binary
    assert not found.notes


def test_real_elf_without_section_and_non_elf(plain_elf: Path) -> None:
    assert rust_binary.analyze.analyze(disk_input(plain_elf, "/usr/bin/plain")).packages == ()
    assert rust_binary.analyze.analyze(bytes_input("/usr/bin/x", b"#!/bin/sh\n")).packages == ()
    assert (
        rust_binary.analyze.analyze(disk_input(plain_elf, "/usr/bin/plain", mode=0o100644)).packages
        == ()
    )


@pytest.mark.parametrize("is64", [True, False])
@pytest.mark.parametrize("little", [True, False])
def test_synthetic_word_sizes_and_byte_orders(is64: bool, little: bool) -> None:
    data = rust_elf(
        dep_v0([{"name": "a", "version": "1.0.0", "source": "crates.io"}]), is64=is64, little=little
    )
    found = rust_binary.analyze.analyze(bytes_input("/app/a", data))
    assert [p.purl for p in found.packages] == ["pkg:cargo/a@1.0.0"]


def test_other_source_object_and_malformed_entries() -> None:
    packages = [
        {"name": "git-dep", "version": "0.1.0", "source": {"Other": "git+https://example.com/x"}},
        {"name": "no-version", "source": "crates.io"},
        {"name": "ctrl\x00char", "version": "1.0.0", "source": "crates.io"},
        "not an object",
        {"name": "ok", "version": "1.0.0", "source": "crates.io"},
        {"name": "ok", "version": "1.0.0", "source": "crates.io"},
    ]
    found = rust_binary.analyze.analyze(bytes_input("/app/a", rust_elf(dep_v0(packages))))
    assert [(p.name, dict(p.properties)) for p in found.packages] == [
        ("git-dep", {"cargo.source": "git+https://example.com/x"}),
        ("ok", {}),
    ]
    assert found.notes == ("/app/a: 3 malformed .dep-v0 package entries skipped",)


HOSTILE = {
    "zlib bomb": zlib.compress(b" " * (64 * 1024 * 1024), 9),
    "garbage zlib": b"\x78\x9c" + b"\xff" * 100,
    "truncated zlib": zlib.compress(json.dumps({"packages": []}).encode())[:-6],
    "garbage json": zlib.compress(b'{"packages": [ {"name": '),
    "not an object": zlib.compress(b"[1, 2, 3]"),
    "no packages list": zlib.compress(b'{"packages": {"a": 1}}'),
    "object flood": zlib.compress(b'{"packages": [' + b"{}," * 200_000 + b"{}]}"),
    "deep nesting": zlib.compress(b"[" * 200_000 + b"]" * 200_000),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_payload_is_one_line_error(case: str) -> None:
    with pytest.raises(AnalyzerError) as err:
        rust_binary.analyze.analyze(bytes_input("/usr/bin/evil", rust_elf(HOSTILE[case])))
    assert err.value.message.startswith("/usr/bin/evil: ")
    assert "\n" not in err.value.message and len(err.value.message) < 300


def test_oversized_section_is_refused_without_reading_it() -> None:
    data = bytearray(rust_elf(b"x" * 16))
    # Patch sh_size of .dep-v0 (section 2; ELF64 header field e_shoff at byte 40) to 1 TiB.
    shoff = int.from_bytes(data[40:48], "little")
    size_at = shoff + 2 * 64 + 32
    assert int.from_bytes(data[size_at : size_at + 8], "little") == 16
    data[size_at : size_at + 8] = (1 << 40).to_bytes(8, "little")
    with pytest.raises(AnalyzerError, match="over the"):
        rust_binary.analyze.analyze(bytes_input("/usr/bin/evil", bytes(data)))
