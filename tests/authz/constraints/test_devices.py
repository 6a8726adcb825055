"""``devices``: Devices, DeviceRequests and DeviceCgroupRules, on create and update."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body, update_body

SDA = {"PathOnHost": "/dev/sda", "PathInContainer": "/dev/sda", "CgroupPermissions": "rwm"}
GPU = {"Driver": "", "Count": -1, "DeviceIDs": None, "Capabilities": [["gpu"]], "Options": {}}


@pytest.mark.parametrize(
    "host",
    [
        {"Devices": [SDA]},
        {"DeviceRequests": [GPU]},
        {"DeviceCgroupRules": ["b *:* rwm"]},
        {"DeviceCgroupRules": ["c 1:3 mr"]},
    ],
)
def test_device_access_is_refused(host: dict[str, object]) -> None:
    assert judge("container.create", run_body(**host)) == "devices"
    assert judge("container.create", {**run_body(), **host}) == "devices"
    assert judge("container.update", update_body(**host), path="/containers/x/update") == (
        "devices"
    )
    assert judge("container.create", run_body(**host), replace(DEVELOPER, devices=True)) is None


def test_empty_lists_are_no_devices() -> None:
    assert judge("container.create", run_body(Devices=[], DeviceCgroupRules=[])) is None


def test_reason_names_the_device() -> None:
    assert "'/dev/sda'" in reason("container.create", run_body(Devices=[SDA]))
    assert "'b *:* rwm'" in reason("container.create", run_body(DeviceCgroupRules=["b *:* rwm"]))
