"""dockerd command line parsing (pflag rules) into daemon.json-shaped values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from seawall.facts.dockerd_flags import parse_dockerd_args


def parse(*args: str) -> dict[str, object]:
    return parse_dockerd_args(["/usr/bin/dockerd", *args]).values


def test_equals_and_space_forms() -> None:
    assert parse("--log-level=debug") == {"log-level": "debug"}
    assert parse("--log-level", "warn") == {"log-level": "warn"}
    assert parse("-l", "error") == {"log-level": "error"}
    assert parse("-lfatal") == {"log-level": "fatal"}
    assert parse("-l=debug") == {"log-level": "debug"}


def test_booleans() -> None:
    assert parse("--icc=false") == {"icc": False}
    assert parse("--live-restore") == {"live-restore": True}
    assert parse("--userland-proxy=0", "--iptables=F") == {
        "userland-proxy": False,
        "iptables": False,
    }
    assert parse("-D") == {"debug": True}
    assert parse("--tlsverify", "--no-new-privileges", "--experimental") == {
        "tlsverify": True,
        "no-new-privileges": True,
        "experimental": True,
    }


def test_boolean_never_consumes_next_word() -> None:
    # pflag: "--icc false" would leave "false" as a positional (dockerd refuses to start).
    result = parse_dockerd_args(["dockerd", "--icc", "false"])
    assert result.values == {"icc": True}
    assert result.unknown == ("positional 'false'",)


def test_bad_boolean_is_reported() -> None:
    result = parse_dockerd_args(["dockerd", "--icc=nope"])
    assert result.values == {}
    assert result.unknown == ("--icc=nope (not a boolean)",)


def test_repeated_flags_append() -> None:
    values = parse(
        "-H", "fd://", "--host=tcp://0.0.0.0:2376", "-Hunix:///run/d.sock",
        "--insecure-registry", "myreg:5000", "--insecure-registry=10.0.0.0/8",
        "--authorization-plugin=authz-broker", "--authorization-plugin", "opa",
        "--storage-opt", "dm.basesize=20G", "--exec-opt", "native.cgroupdriver=systemd",
    )  # fmt: skip
    assert values == {
        "hosts": ["fd://", "tcp://0.0.0.0:2376", "unix:///run/d.sock"],
        "insecure-registries": ["myreg:5000", "10.0.0.0/8"],
        "authorization-plugins": ["authz-broker", "opa"],
        "storage-opts": ["dm.basesize=20G"],
        "exec-opts": ["native.cgroupdriver=systemd"],
    }


def test_maps_and_ulimits() -> None:
    values = parse(
        "--log-opt", "max-size=10m", "--log-opt=max-file=3",
        "--default-ulimit", "nofile=1024:2048", "--default-ulimit=nproc=512",
    )  # fmt: skip
    assert values == {
        "log-opts": {"max-size": "10m", "max-file": "3"},
        "default-ulimits": {
            "nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048},
            "nproc": {"Name": "nproc", "Soft": 512, "Hard": 512},
        },
    }


def test_bad_ulimit_is_reported() -> None:
    assert parse_dockerd_args(["dockerd", "--default-ulimit=nofile"]).unknown == (
        "--default-ulimit=nofile (not name=soft[:hard])",
    )


def test_other_settings_and_aliases() -> None:
    values = parse(
        "--config-file", "/etc/docker/alt.json", "--userns-remap=default",
        "--seccomp-profile", "/etc/docker/seccomp.json", "--cgroup-parent=/foo",
        "-g", "/srv/docker", "--bridge=br0", "-s", "overlay2", "--mtu=1400",
        "--containerd=/run/containerd/containerd.sock",
    )  # fmt: skip
    assert values == {
        "config-file": "/etc/docker/alt.json",
        "userns-remap": "default",
        "seccomp-profile": "/etc/docker/seccomp.json",
        "cgroup-parent": "/foo",
        "data-root": "/srv/docker",
        "bridge": "br0",
        "storage-driver": "overlay2",
        "mtu": 1400,
        "containerd": "/run/containerd/containerd.sock",
    }


def test_grouped_short_flags() -> None:
    assert parse("-DH", "tcp://127.0.0.1:2375") == {
        "debug": True,
        "hosts": ["tcp://127.0.0.1:2375"],
    }
    assert parse("-D=false") == {"debug": False}


def test_unknown_flags_keep_their_value() -> None:
    result = parse_dockerd_args(["dockerd", "--future-thing", "v", "--other=x", "--flagonly", "-D"])
    assert result.values == {"future-thing": "v", "other": "x", "flagonly": True, "debug": True}
    assert result.unknown == ("--future-thing v", "--other=x", "--flagonly")


def test_missing_value_at_end() -> None:
    assert parse_dockerd_args(["dockerd", "--log-level"]).unknown == (
        "--log-level (missing value)",
    )
    assert parse_dockerd_args(["dockerd", "-H"]).unknown == ("-H (missing value)",)


def test_double_dash_ends_flags() -> None:
    result = parse_dockerd_args(["dockerd", "-D", "--", "--icc=false"])
    assert result.values == {"debug": True}
    assert result.unknown == ("positional '--icc=false'",)


@given(st.lists(st.text(max_size=12), max_size=8))
def test_never_raises(argv: list[str]) -> None:
    parse_dockerd_args(["dockerd", *argv])
