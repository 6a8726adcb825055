"""Package-index-update detection used by IM007."""

from __future__ import annotations

import pytest

from seawall.audit.rules.images.im007_update_alone import classify_segment, update_alone


@pytest.mark.parametrize(
    "command",
    [
        "apt-get update",
        "apt update",
        "apt-get -qq update",
        "apt-get -o Acquire::Retries=3 update",
        "sudo apt-get update",
        "DEBIAN_FRONTEND=noninteractive apt-get update",
        "/usr/bin/apt-get update && echo done",
        "apk update",
        "yum makecache",
        "dnf -y makecache",
        "yum check-update || true",
        "microdnf makecache",
        "zypper refresh",
        "zypper --non-interactive ref",
        "pacman -Sy",
        "if [ -x /usr/bin/apt-get ]; then apt-get update; fi",
        "set -eux; apt-get update",
    ],
)
def test_update_alone(command: str) -> None:
    assert update_alone(command)


@pytest.mark.parametrize(
    "command",
    [
        "apt-get update && apt-get install -y curl",
        "apt-get update && apt-get -y upgrade",
        "apt-get update \n apt-get install -y curl",
        "apt update; apt full-upgrade -y",
        "apk update && apk add curl",
        "apk add --no-cache --update curl",
        "yum -y makecache && yum -y install httpd",
        "yum update -y",
        "dnf makecache && dnf -y install --setopt=tsflags=nodocs nginx",
        "zypper ref && zypper -n in curl",
        "pacman -Syu --noconfirm",
        "pacman -Sy --noconfirm git",
        "echo apt-get update",
        "echo 'apt-get update' > /etc/motd",
        "apt-get install -y curl",
        "make update",
        "",
    ],
)
def test_not_update_alone(command: str) -> None:
    assert not update_alone(command)


def test_classify_segment() -> None:
    assert classify_segment(" apt-get  install -y x ") == "install"
    assert classify_segment("apt-get -c /etc/apt.conf update") == "update"
    assert classify_segment("apt-get --help") == ""
    assert classify_segment("apt-get 'unterminated") == ""
