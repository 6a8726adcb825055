"""Binds vs Mounts vs VolumesFrom vs named and bind-type volumes; ``volume.create``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.authz.cli_bodies import (
    DEVELOPER,
    judge,
    reason,
    resolved,
    run_body,
    service_body,
    volume_body,
)

DATA = replace(DEVELOPER, host_paths=("/srv/data",))
OPTIONS = replace(DATA, volume_options=True)
NO_NAMED = replace(DEVELOPER, named_volumes=False)


def _inline(options: dict[str, str], driver: str = "local", source: str = "v2") -> dict[str, Any]:
    return {
        "Type": "volume",
        "Source": source,
        "Target": "/v2",
        "VolumeOptions": {"DriverConfig": {"Name": driver, "Options": options}},
    }


BIND_ETC = {"device": "/etc", "o": "bind", "type": "none"}


def test_named_and_anonymous_volumes() -> None:
    assert judge("container.create", run_body(Binds=["myvol:/vol", "/just-a-target"])) is None
    assert judge("container.create", run_body(Binds=["myvol:/vol"]), NO_NAMED) == "named_volumes"
    anonymous = run_body(Mounts=[{"Type": "volume", "Target": "/v"}])
    assert judge("container.create", anonymous, NO_NAMED) is None
    named = run_body(Mounts=[{"Type": "volume", "Source": "v", "Target": "/v"}])
    assert judge("container.create", named, NO_NAMED) == "named_volumes"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        pytest.param(run_body(Binds=["/etc:/host-etc:ro"]), "host_paths", id="Binds"),
        pytest.param(run_body(Binds=["/etc:/h:ro:extra"]), "host_paths", id="Binds-4-parts"),
        pytest.param(
            run_body(Mounts=[{"Type": "bind", "Source": "/etc", "Target": "/h"}]),
            "host_paths",
            id="Mounts",
        ),
        pytest.param({**run_body(), "Binds": ["/etc:/h"]}, "host_paths", id="top-level-Binds"),
        pytest.param(
            {**run_body(), "Mounts": [{"Type": "bind", "Source": "/", "Target": "/h"}]},
            "host_paths",
            id="top-level-Mounts",
        ),
        pytest.param(
            run_body(Mounts=[{"type": "bind", "source": "/etc", "target": "/h"}]),
            "host_paths",
            id="lower-case-mount-fields",
        ),
        pytest.param(run_body(Mounts=[_inline(BIND_ETC)]), "volume_options", id="inline-bind"),
        pytest.param(run_body(VolumesFrom=["other:ro"]), "host_paths", id="VolumesFrom"),
        pytest.param(
            run_body(Mounts=[{"Type": "npipe", "Source": r"\\.\pipe\docker_engine"}]),
            "host_paths",
            id="npipe",
        ),
    ],
)
def test_host_paths_in_every_form_are_refused(body: dict[str, Any], key: str) -> None:
    assert judge("container.create", body, DATA, resolved("/etc", "/")) == key


def test_inline_bind_volume_needs_volume_options_then_host_paths() -> None:
    body = run_body(Mounts=[_inline(BIND_ETC)])
    assert judge("container.create", body, DATA) == "volume_options"
    assert judge("container.create", body, OPTIONS, resolved("/etc")) == "host_paths"
    inside = run_body(Mounts=[_inline({**BIND_ETC, "device": "/srv/data/x"})])
    assert judge("container.create", inside, OPTIONS, resolved("/srv/data/x")) is None


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"type": "nfs", "o": "addr=10.0.0.1,ro", "device": ":/export"}, None),
        ({"type": "tmpfs", "o": "size=64m", "device": "tmpfs"}, None),
        ({"type": "nfs", "o": "bind", "device": "/etc"}, "host_paths"),  # bind wins over type
        ({"type": "none", "o": "rbind", "device": "etc"}, "host_paths"),  # relative to cwd "/"
        ({"type": "ext4", "device": "/dev/sda1"}, "host_paths"),
        ({"type": "proc", "device": "proc"}, "volume_options"),
        ({"type": "overlay", "o": "lowerdir=/etc", "device": "overlay"}, "volume_options"),
        ({"type": "none", "o": "bind", "Device": "/etc"}, "volume_options"),
        ({"type": "none", "o": "bind"}, "host_paths"),
    ],
)
def test_local_driver_options(options: dict[str, str], expected: str | None) -> None:
    body = volume_body(DriverOpts=options)
    assert judge("volume.create", body, OPTIONS, resolved("/etc", "/dev/sda1")) == expected
    inline = run_body(Mounts=[_inline(options)])
    assert judge("container.create", inline, OPTIONS, resolved("/etc", "/dev/sda1")) == expected


def test_the_volume_create_bind_trick() -> None:
    body = volume_body(DriverOpts=BIND_ETC, Name="etcvol")
    assert judge("volume.create", body) == "volume_options"
    assert "device, o, type" in reason("volume.create", body)
    assert judge("volume.create", volume_body()) is None
    assert judge("volume.create", {"Name": "x"}) is None


def test_volume_drivers() -> None:
    assert judge("volume.create", volume_body(Driver="sshfs")) == "volume_drivers"
    sshfs = replace(DEVELOPER, volume_drivers=frozenset({"local", "sshfs"}))
    assert judge("volume.create", volume_body(Driver="sshfs", DriverOpts={"a": "b"}), sshfs) == (
        "volume_options"
    )
    both = replace(sshfs, volume_options=True)
    assert judge("volume.create", volume_body(Driver="sshfs", DriverOpts={"a": "b"}), both) is None
    assert judge("container.create", run_body(VolumeDriver="sshfs")) == "volume_drivers"
    assert judge("container.create", {**run_body(), "VolumeDriver": "sshfs"}) == "volume_drivers"
    assert judge("container.create", run_body(Mounts=[_inline({}, "sshfs")])) == "volume_drivers"
    assert judge("container.create", run_body(Mounts=[_inline({}, "")])) is None


def test_cluster_volumes() -> None:
    assert judge("volume.create", volume_body(ClusterVolumeSpec={"Group": "g"})) == "volume_drivers"
    cluster = run_body(Mounts=[{"Type": "cluster", "Source": "v", "Target": "/v"}])
    assert judge("container.create", cluster) == "volume_drivers"


def test_tmpfs_and_unknown_mount_types() -> None:
    assert judge("container.create", run_body(Mounts=[{"Type": "tmpfs", "Target": "/t"}])) is None
    upper = run_body(Mounts=[{"Type": "BIND", "Source": "/etc", "Target": "/h"}])
    assert judge("container.create", upper) == "host_paths"


def test_image_mounts_follow_the_registry_rule() -> None:
    mount = {"Type": "image", "Source": "127.0.0.1:5000/data:1", "Target": "/d"}
    assert judge("container.create", run_body(Mounts=[mount])) is None
    other = {**mount, "Source": "localhost:5000/data:1"}
    assert judge("container.create", run_body(Mounts=[other])) == "registries"


def test_volumes_from_only_when_every_host_path_is_allowed() -> None:
    body = run_body(VolumesFrom=["other"])
    assert judge("container.create", body, DATA) == "host_paths"
    assert judge("container.create", body, replace(DEVELOPER, host_paths=("/",))) is None
    assert "copies the mounts of 'other'" in reason("container.create", body)


def test_service_mounts() -> None:
    bind = service_body(Mounts=[{"Type": "bind", "Source": "/etc", "Target": "/h"}])
    assert judge("service.create", bind, DATA, resolved("/etc")) == "host_paths"
    assert judge("service.update", bind, DATA, resolved("/etc")) == "host_paths"
    inline = service_body(Mounts=[_inline(BIND_ETC)])
    assert judge("service.create", inline, DATA) == "volume_options"
    ok = service_body(Mounts=[{"Type": "bind", "Source": "/srv/data", "Target": "/d"}])
    assert judge("service.create", ok, DATA, resolved("/srv/data")) is None


def test_malformed_binds_and_mounts_are_body_errors() -> None:
    assert judge("container.create", run_body(Binds=[":/x"])) == "body"
    assert judge("container.create", run_body(Binds="/etc:/h")) == "body"
    assert judge("container.create", run_body(Mounts=["/etc"])) == "body"
    bad = run_body(
        Mounts=[{"Type": "volume", "VolumeOptions": {"DriverConfig": {"Options": {"o": 1}}}}]
    )
    assert judge("container.create", bad) == "body"
