"""The java analyzer on archives made by the JDK (javac + jar: a library jar, a war holding it,
an ear holding the war, a stored "fat" jar) and by zipfile (layouts the JDK does not make),
plus hostile archives: bombs, lies, deep and wide nesting, entry floods, path tricks.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, Found
from seawall.inventory.analyzers import java
from seawall.inventory.analyzers._zip import ZipError, ZipReader
from tests.inventory._bin_support import (
    bytes_input,
    manifest,
    maven_jar,
    pom_properties,
    zip_bytes,
)
from tests.inventory._fixtures import disk_input

JAVA_SOURCE = 'package org.example.seawall;\n\npublic class Demo {\n    public static String hi() { return "hi"; }\n}\n'
GROUP, ARTIFACT, VERSION = "org.example.seawall", "demo-lib", "1.4.2"


def run(*cmd: str, cwd: Path) -> None:
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def jdk_archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Maven-layout jar, a war, an ear and a stored fat jar, all made by the JDK's tools."""
    if shutil.which("javac") is None or shutil.which("jar") is None:
        pytest.fail("javac and jar (a JDK) are required (scripts/test.sh installs them)")
    base = tmp_path_factory.mktemp("jdk")
    src = base / "src/org/example/seawall"
    src.mkdir(parents=True)
    (src / "Demo.java").write_text(JAVA_SOURCE)
    classes = base / "classes"
    run("javac", "-d", str(classes), str(src / "Demo.java"), cwd=base)
    maven = classes / f"META-INF/maven/{GROUP}/{ARTIFACT}"
    maven.mkdir(parents=True)
    (maven / "pom.properties").write_bytes(pom_properties(GROUP, ARTIFACT, VERSION))
    (maven / "pom.xml").write_text(f"<project><artifactId>{ARTIFACT}</artifactId></project>\n")
    (base / "MANIFEST.MF").write_bytes(
        manifest(Implementation_Title=ARTIFACT, Implementation_Version=VERSION)
    )
    jar = base / f"{ARTIFACT}-{VERSION}.jar"
    run(
        "jar",
        "--create",
        f"--file={jar}",
        f"--manifest={base / 'MANIFEST.MF'}",
        "-C",
        str(classes),
        ".",
        cwd=base,
    )
    war_dir = base / "war"
    (war_dir / "WEB-INF/lib").mkdir(parents=True)
    (war_dir / "WEB-INF/web.xml").write_text("<web-app/>\n")
    shutil.copy(jar, war_dir / "WEB-INF/lib" / jar.name)
    war = base / "shop.war"
    run("jar", "--create", f"--file={war}", "-C", str(war_dir), ".", cwd=base)
    ear_dir = base / "ear"
    ear_dir.mkdir()
    shutil.copy(war, ear_dir / war.name)
    ear = base / "suite.ear"
    run("jar", "--create", f"--file={ear}", "-C", str(ear_dir), ".", cwd=base)
    boot_dir = base / "boot"
    (boot_dir / "BOOT-INF/lib").mkdir(parents=True)
    shutil.copy(jar, boot_dir / "BOOT-INF/lib" / jar.name)
    boot = base / "app.jar"
    run("jar", "--create", "--no-compress", f"--file={boot}", "-C", str(boot_dir), ".", cwd=base)
    return {"jar": jar, "war": war, "ear": ear, "boot": boot}


def analyze(data: bytes, path: str = "/app/x.jar") -> Found:
    return java.analyze.analyze(bytes_input(path, data, mode=0o100644))


def summary(found: Found) -> list[tuple[str, str, str, str | None]]:
    return [
        (p.name, p.version, p.purl, dict(p.properties).get("java.archive")) for p in found.packages
    ]


EXPECTED = (f"{GROUP}:{ARTIFACT}", VERSION, f"pkg:maven/{GROUP}/{ARTIFACT}@{VERSION}")


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("jar", None),
        ("war", f"WEB-INF/lib/{ARTIFACT}-{VERSION}.jar"),
        ("ear", f"shop.war!/WEB-INF/lib/{ARTIFACT}-{VERSION}.jar"),
        ("boot", f"BOOT-INF/lib/{ARTIFACT}-{VERSION}.jar"),
    ],
)
def test_jdk_made_archives(jdk_archives: dict[str, Path], kind: str, where: str | None) -> None:
    path = jdk_archives[kind]
    found = java.analyze.analyze(disk_input(path, f"/srv/{path.name}"))
    assert summary(found) == [(*EXPECTED, where)]
    assert found.packages[0].path == f"/srv/{path.name}"
    assert not found.notes


def test_stored_nested_jar_is_read_in_place(
    jdk_archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_spool(*_: object, **__: object) -> None:
        raise AssertionError("a stored nested jar must not be copied")

    monkeypatch.setattr(java.tempfile, "SpooledTemporaryFile", no_spool)
    found = java.analyze.analyze(disk_input(jdk_archives["boot"], "/app/app.jar"))
    assert [p.name for p in found.packages] == [EXPECTED[0]]


def test_manifest_fallbacks() -> None:
    vendor = zip_bytes(
        [
            (
                "META-INF/MANIFEST.MF",
                manifest(
                    Implementation_Vendor_Id="org.acme",
                    Implementation_Title="widget",
                    Implementation_Version="3.1",
                ),
            )
        ]
    )
    osgi = zip_bytes(
        [
            (
                "META-INF/MANIFEST.MF",
                manifest(
                    Bundle_SymbolicName="org.acme.gadget;singleton:=true",
                    Bundle_Version="1.0.0.v2024",
                ),
            )
        ]
    )
    bare = zip_bytes(
        [("META-INF/MANIFEST.MF", manifest(Implementation_Title="tool", Specification_Version="7"))]
    )
    human = zip_bytes(
        [
            (
                "META-INF/MANIFEST.MF",
                manifest(Implementation_Title="Apache Commons Lang", Implementation_Version="3.0"),
            )
        ]
    )
    assert summary(analyze(vendor)) == [
        ("org.acme:widget", "3.1", "pkg:maven/org.acme/widget@3.1", None)
    ]
    assert summary(analyze(osgi)) == [
        ("org.acme:gadget", "1.0.0.v2024", "pkg:maven/org.acme/gadget@1.0.0.v2024", None)
    ]
    assert summary(analyze(bare)) == [("tool", "7", "pkg:maven/tool@7", None)]
    assert analyze(human).packages == ()  # a human title is not an artifact ID: no guess


def test_manifest_is_ignored_when_pom_properties_exist() -> None:
    data = maven_jar("org.acme", "core", "2.0")
    found = analyze(data)
    assert [(p.name, dict(p.properties)["java.evidence"]) for p in found.packages] == [
        ("org.acme:core", "pom.properties")
    ]


def test_manifest_continuation_lines_and_case() -> None:
    text = "Manifest-Version: 1.0\r\nbundle-symbolicname: org.acme.very-long-na\r\n me\r\nBundle-Version: 2\r\n\r\nName: x\r\nBundle-Version: 9\r\n"
    attrs = java.parse_manifest(text)
    assert attrs["bundle-symbolicname"] == "org.acme.very-long-name"
    assert attrs["bundle-version"] == "2"  # per-entry sections are not the main section


def test_invalid_pom_properties_is_a_note() -> None:
    data = zip_bytes(
        [("META-INF/maven/a/b/pom.properties", b"groupId=a b\nartifactId=b\nversion=1\n")]
    )
    found = analyze(data, "/app/bad.jar")
    assert found.packages == ()
    assert found.notes == (
        "/app/bad.jar: META-INF/maven/a/b/pom.properties lacks a valid groupId, artifactId or version",
    )


def test_prefixed_executable_jar_and_zip64() -> None:
    launcher = b'#!/bin/sh\nexec java -jar "$0" "$@"\n' + b"#" * 5000 + b"\n"
    found = analyze(launcher + maven_jar("org.acme", "exec", "1.0"))
    assert [p.name for p in found.packages] == ["org.acme:exec"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "META-INF/maven/org.acme/big/pom.properties", pom_properties("org.acme", "big", "9.9")
        )
        for i in range(70_000):  # over 65,535 entries: zip64 end records
            zf.writestr(zipfile.ZipInfo(f"d/{i}"), b"")
    found = analyze(buf.getvalue())
    assert [p.name for p in found.packages] == ["org.acme:big"]


# --- hostile archives ---------------------------------------------------------------------


def deflated_zeros(name: str, size: int) -> bytes:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open(name, "w", force_zip64=True) as out,
    ):
        block = bytes(1024 * 1024)
        for _ in range(size // len(block)):
            out.write(block)
    return buf.getvalue()


def test_nested_bomb_is_skipped_with_a_note() -> None:
    found = analyze(deflated_zeros("WEB-INF/lib/bomb.jar", 100 * 1024 * 1024), "/srv/a.war")
    assert found.packages == ()
    assert found.notes == (
        "/srv/a.war: WEB-INF/lib/bomb.jar: compression ratio over 50: treated as a decompression bomb",
    )


def test_huge_metadata_file_is_not_read() -> None:
    data = deflated_zeros("META-INF/maven/a/b/pom.properties", 8 * 1024 * 1024)
    found = analyze(data)
    assert found.packages == () and "over the 65536-byte limit" in found.notes[0]


def _patch_central(data: bytes, field_offset: int, fmt: str, value: int) -> bytes:
    """Patch one field of every central-directory record."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        struct.pack_into(fmt, out, pos + field_offset, value)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_size_lies_are_caught() -> None:
    inner = maven_jar("org.acme", "lib", "1.0")
    war = zip_bytes([("WEB-INF/lib/lib.jar", inner)])
    # Claim the nested jar is 100 bytes: it inflates past that, so it is refused.
    lying = _patch_central(war, 24, "<I", 100)
    found = analyze(lying, "/srv/a.war")
    assert found.packages == () and "inflates past its recorded size" in found.notes[0]
    # Claim a bad CRC for the pom.properties of a plain jar.
    bad_crc = _patch_central(maven_jar("org.acme", "lib", "1.0"), 16, "<I", 0)
    assert "CRC" in " ".join(analyze(bad_crc).notes)


def nest(levels: int) -> bytes:
    data = maven_jar("org.acme", "level0", "1.0")
    for i in range(1, levels + 1):
        data = zip_bytes(
            [
                (f"lib/level{i - 1}.jar", data),
                (
                    f"META-INF/maven/org.acme/level{i}/pom.properties",
                    pom_properties("org.acme", f"level{i}", "1.0"),
                ),
            ]
        )
    return data


def test_deep_nesting_stops_at_the_depth_limit() -> None:
    found = analyze(nest(6), "/app/deep.ear")
    names = [p.name for p in found.packages]
    assert names == ["org.acme:level6", "org.acme:level5", "org.acme:level4", "org.acme:level3"]
    assert len(found.notes) == 1 and "nested deeper than 3 archives" in found.notes[0]


def test_self_containing_archive_terminates() -> None:
    # A stored member whose bytes are... the archive itself is impossible to write directly,
    # so nest the same stored jar many times over: the count and depth limits bound the walk.
    inner = zip_bytes(
        [(f"x{i}.jar", maven_jar("org.acme", "leaf", "1.0", stored=True)) for i in range(40)],
        stored=True,
    )
    outer = zip_bytes([(f"y{i}.jar", inner) for i in range(40)], stored=True)
    top = zip_bytes([(f"z{i}.jar", outer) for i in range(2)], stored=True)
    found = analyze(top, "/app/wide.jar")
    assert [p.name for p in found.packages] == ["org.acme:leaf"]
    assert (
        len(found.notes) == 1
        and f"more than {java.MAX_NESTED_ARCHIVES} nested archives" in found.notes[0]
    )


def test_entry_flood_claimed_by_zip64_record_is_refused() -> None:
    data = bytearray(zip_bytes([("a", b"x")]))
    eocd = data.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
    cd_size = struct.unpack_from("<I", data, eocd + 12)[0]
    z64 = struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**9, 10**9, cd_size, cd_offset
    )
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    hostile = bytes(data[:eocd]) + z64 + loc + end
    with pytest.raises(AnalyzerError, match="entries is over the limit"):
        analyze(hostile, "/app/flood.jar")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK",
        b"not a zip at all" * 10,
        zip_bytes([("a", b"x")])[:-10],
        struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 5, 5, 230, 0, 0),
        b"x" * 300 + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 5, 5, 230, 0, 0),
    ],
    ids=["empty", "tiny", "garbage", "truncated", "directory-before-start", "directory-garbage"],
)
def test_structural_damage_is_one_line_error(data: bytes) -> None:
    with pytest.raises(AnalyzerError) as err:
        analyze(data, "/app/broken.jar")
    assert err.value.message.startswith("/app/broken.jar: ") and "\n" not in err.value.message


def test_directory_offset_beyond_the_file_is_refused() -> None:
    data = bytearray(zip_bytes([("a", b"x")]))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, eocd + 16, 10**8)
    with pytest.raises(AnalyzerError, match="outside the archive"):
        analyze(bytes(data))


def test_path_tricks_write_nothing_and_stay_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = tmp_path / "canary"
    canary.mkdir()
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.chdir(canary)
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    bad_inner = b"PK\x03\x04 not really a zip"
    data = zip_bytes(
        [
            ("../../../../tmp/evil.jar", maven_jar("org.acme", "dotdot", "1.0")),
            ("/etc/evil.jar", maven_jar("org.acme", "absolute", "1.0")),
            ("lib/new\nline\x07.jar", bad_inner),
            (
                "META-INF/maven/../../../x/pom.properties",
                pom_properties("org.acme", "trick", "1.0"),
            ),
        ]
    )
    found = analyze(data, "/srv/tricks.war")
    assert {p.name for p in found.packages} == {
        "org.acme:dotdot",
        "org.acme:absolute",
        "org.acme:trick",
    }
    assert all(n.isprintable() for n in found.notes)
    assert found.notes and "lib/new?line?.jar" in found.notes[0]
    assert list(canary.iterdir()) == [] and list(spill.iterdir()) == []


def test_encrypted_and_unsupported_members_are_notes() -> None:
    data = bytearray(
        zip_bytes(
            [
                ("lib/a.jar", maven_jar("org.acme", "a", "1.0")),
                ("META-INF/maven/g/a/pom.properties", pom_properties("g", "a", "1")),
            ]
        )
    )
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 10, 12)  # bzip2 for the nested jar
    pos = data.find(b"PK\x01\x02", pos + 4)
    struct.pack_into("<H", data, pos + 8, 1)  # encrypted pom.properties
    found = analyze(bytes(data))
    assert found.packages == ()
    assert any("compression method 12" in n for n in found.notes)
    assert any("encrypted" in n for n in found.notes)


SAMPLE = zip_bytes(
    [
        ("WEB-INF/lib/a.jar", maven_jar("org.acme", "a", "1.0")),
        ("META-INF/MANIFEST.MF", manifest(Bundle_SymbolicName="a.b", Bundle_Version="1")),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)), min_size=1, max_size=10
    )
)
def test_mutated_archives_fail_cleanly(edits: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE)
    for pos, byte in edits:
        data[pos] = byte
    messages: list[str] = []
    try:
        messages.extend(analyze(bytes(data)).notes)
    except AnalyzerError as exc:
        messages.append(exc.message)
    assert all(m.isprintable() for m in messages)


def test_reader_inflates_in_bounded_chunks() -> None:
    data = zip_bytes([("big", bytes(4 * 1024 * 1024))])
    reader = ZipReader(io.BytesIO(data), len(data))
    member = next(reader.members())
    assert max(len(c) for c in reader.chunks(member, member.usize)) <= 64 * 1024
    with pytest.raises(ZipError, match="over the"):
        reader.read(member, 1024)
    assert zlib.crc32(reader.read(member, member.usize)) == member.crc
