"""The os-release analyzer: parsing, fallbacks, the final choice and the purl rewrite."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.inventory.analyzer import AnalyzerError, Found
from seawall.inventory.analyzers import os_release
from seawall.inventory.analyzers.os_release import (
    apply_os,
    choose_os,
    distro_qualifier,
    parse_os_release,
)
from seawall.model.inventory import OSInfo, Package
from tests.inventory._fixtures import bytes_input


def run(path: str, data: bytes) -> Found:
    return os_release.analyze.analyze(bytes_input(path, data))


def test_shell_quoting_rules() -> None:
    text = (
        "# comment\n"
        "  \n"
        'NAME="Fedora Linux"\n'
        "ID=fedora\n"
        "VERSION_ID=39\n"
        "PRETTY_NAME='Fedora Linux 39 (Container Image)'\n"
        'VERSION="39 (Container \\"Image\\")"\n'
        "ESCAPED=a\\ b\n"
        "MIXED=\"ab\"'cd'ef\n"
        "TRAILING=value # a comment\n"
        "not a line\n"
        "1BAD=x\n"
        "ID_LIKE=\n"
    )
    values = parse_os_release(text)
    assert values["NAME"] == "Fedora Linux"
    assert values["PRETTY_NAME"] == "Fedora Linux 39 (Container Image)"
    assert values["VERSION"] == '39 (Container "Image")'
    assert values["ESCAPED"] == "a b"
    assert values["MIXED"] == "abcdef"
    assert values["TRAILING"] == "value"
    assert values["ID_LIKE"] == ""
    assert "1BAD" not in values


def test_id_defaults_to_linux_and_is_lower_case() -> None:
    assert run("/etc/os-release", b"NAME=Thing\n").os == OSInfo(id="linux", name="Thing")
    assert run("/usr/lib/os-release", b"ID=Wolfi\nVERSION_ID=20230201\n").os == OSInfo(
        id="wolfi", version_id="20230201"
    )


def test_debian_sid_has_a_codename_only() -> None:
    found = run(
        "/etc/os-release",
        b'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nVERSION_CODENAME=trixie\nID=debian\n',
    )
    assert found.os is not None
    assert (found.os.version_id, found.os.codename) == ("", "trixie")
    assert distro_qualifier(found.os) == "debian-trixie"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            b"Red Hat Enterprise Linux release 8.9 (Ootpa)\n",
            OSInfo(
                "rhel",
                "8.9",
                "Red Hat Enterprise Linux",
                "Red Hat Enterprise Linux release 8.9 (Ootpa)",
                "Ootpa",
            ),
        ),
        (
            b"CentOS Linux release 7.9.2009 (Core)\n",
            OSInfo(
                "centos", "7.9.2009", "CentOS Linux", "CentOS Linux release 7.9.2009 (Core)", "Core"
            ),
        ),
        (
            b"CentOS Stream release 9\n",
            OSInfo("centos", "9", "CentOS Stream", "CentOS Stream release 9", ""),
        ),
        (
            b"Fedora release 39 (Thirty Nine)\n",
            OSInfo("fedora", "39", "Fedora", "Fedora release 39 (Thirty Nine)", "Thirty Nine"),
        ),
        (
            b"AlmaLinux release 9.3 (Shamrock Pink Panther)\n",
            OSInfo(
                "almalinux",
                "9.3",
                "AlmaLinux",
                "AlmaLinux release 9.3 (Shamrock Pink Panther)",
                "Shamrock Pink Panther",
            ),
        ),
        (
            b"Scientific Linux release 6.10 (Carbon)\n",
            OSInfo(
                "scientific",
                "6.10",
                "Scientific Linux",
                "Scientific Linux release 6.10 (Carbon)",
                "Carbon",
            ),
        ),
    ],
)
def test_redhat_release_lines(line: bytes, expected: OSInfo) -> None:
    assert run("/etc/redhat-release", line).os == expected


def test_debian_version_and_alpine_release() -> None:
    assert run("/etc/debian_version", b"11.9\n").os == OSInfo("debian", "11.9", "Debian GNU/Linux")
    assert run("/etc/debian_version", b"trixie/sid\n").os == OSInfo(
        "debian", "", "Debian GNU/Linux", "", "trixie"
    )
    assert run("/etc/alpine-release", b"3.19.1\n").os == OSInfo("alpine", "3.19.1", "Alpine Linux")
    assert run("/etc/alpine-release", b"3.20.0_alpha20240329\n").os == OSInfo(
        "alpine", "3.20.0_alpha20240329", "Alpine Linux"
    )


@pytest.mark.parametrize(
    ("path", "data", "match"),
    [
        ("/etc/os-release", b"", "no KEY=value"),
        ("/etc/os-release", b"just some words\n", "no KEY=value"),
        ("/etc/os-release", b"ID=debian\x00\n", "NUL"),
        ("/etc/os-release", b"ID=d\xe9bian\n", "not UTF-8"),
        ("/etc/os-release", b"ID=x\n" * 20_000, "limit"),
        ("/etc/redhat-release", b"Hello there\n", "release"),
        ("/etc/redhat-release", b"\n\n", "one short line"),
        ("/etc/redhat-release", b"X release 1 " + b"y" * 400 + b"\n", "one short line"),
        ("/etc/alpine-release", b"edge\n", "not an Alpine version"),
        ("/etc/debian_version", b"\x1b[31mred\n", "one short line"),
    ],
)
def test_damaged_files_are_refused(path: str, data: bytes, match: str) -> None:
    with pytest.raises(AnalyzerError, match=match) as info:
        run(path, data)
    assert str(info.value).startswith(f"{path}: ")


@given(st.binary(max_size=2000))
def test_fuzz(data: bytes) -> None:
    for path in os_release.PRIORITY:
        try:
            found = run(path, data)
        except AnalyzerError:
            continue
        assert found.os is not None and found.os.id


def test_required_paths() -> None:
    want = os_release.analyze.required
    assert all(want(p) for p in os_release.PRIORITY)
    assert (
        not want("/etc/os-release.dpkg-old")
        and not want("/etc/lsb-release")
        and not want("/os-release")
    )


def test_choose_os_priority() -> None:
    infos = {
        "/etc/debian_version": OSInfo("debian", "12.4"),
        "/usr/lib/os-release": OSInfo("debian", "12"),
        "/etc/alpine-release": OSInfo("alpine", "3.18.4"),
    }
    assert choose_os(infos) == OSInfo("debian", "12")
    assert choose_os({**infos, "/etc/os-release": OSInfo("ubuntu", "22.04")}) == OSInfo(
        "ubuntu", "22.04"
    )
    del infos["/usr/lib/os-release"]
    assert choose_os(infos) == OSInfo("alpine", "3.18.4")
    assert choose_os({}) is None


def _pkg(
    ecosystem: str, analyzer: str, version: str, epoch: int | None, arch: str | None
) -> Package:
    return Package("x", version, ecosystem, "pkg:old", analyzer, "/p", epoch=epoch, arch=arch)


def test_apply_os_sets_namespace_and_distro() -> None:
    pkgs = [
        _pkg("deb", "dpkg", "1:2.66-4+b1", 1, "amd64"),
        _pkg("apk", "apk", "1.2.4-r2", None, "x86_64"),
        _pkg("rpm", "rpm", "2:1.2.3-4.el9", 2, "noarch"),
        _pkg("rpm", "rpm", "0:1.0-1.el9", 0, None),
        _pkg("pypi", "python-pkg", "1.0", None, None),
    ]
    ubuntu = apply_os(pkgs[:1], OSInfo("ubuntu", "22.04", codename="jammy"))
    assert ubuntu[0].purl == "pkg:deb/ubuntu/x@2.66-4%2Bb1?arch=amd64&distro=ubuntu-22.04&epoch=1"
    alpine = apply_os(pkgs[1:2], OSInfo("alpine", "3.18.4"))
    assert alpine[0].purl == "pkg:apk/alpine/x@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4"
    rhel = apply_os(pkgs[2:], OSInfo("rhel", "9.3"))
    assert rhel[0].purl == "pkg:rpm/redhat/x@1.2.3-4.el9?arch=noarch&distro=rhel-9.3&epoch=2"
    assert rhel[1].purl == "pkg:rpm/redhat/x@1.0-1.el9?distro=rhel-9.3"
    assert rhel[2] is pkgs[4]
    assert apply_os(pkgs, None) == tuple(pkgs)
