"""``require_resources``: limits on creates and services; updates cannot remove them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, run_body, service_body, update_body

CPU = replace(DEVELOPER, require_resources=frozenset({"cpu"}))
UPDATE = "/containers/web/update"


@pytest.mark.parametrize(
    "host",
    [{"Memory": 0}, {"PidsLimit": 0}, {"PidsLimit": -1}, {"PidsLimit": None}, {"Memory": -1}],
)
def test_missing_limits(host: dict[str, object]) -> None:
    assert judge("container.create", run_body(**host)) == "require_resources"


def test_top_level_memory_is_merged_but_other_top_level_limits_are_not() -> None:
    # the engine copies a top-level Memory into a HostConfig that leaves it 0 ...
    assert judge("container.create", {**run_body(Memory=0), "Memory": 1 << 28}) is None
    # ... but not PidsLimit: a top-level one is ignored when HostConfig is present
    assert judge("container.create", {**run_body(PidsLimit=0), "PidsLimit": 100}) == (
        "require_resources"
    )
    body = run_body()
    host = body.pop("HostConfig")
    assert judge("container.create", body) == "require_resources"
    assert judge("container.create", {**body, "Memory": host["Memory"], "PidsLimit": 5}) is None


def test_cpu_limits() -> None:
    assert judge("container.create", run_body(), CPU) is None  # NanoCpus 0.5 CPU
    assert judge("container.create", run_body(NanoCpus=0), CPU) == "require_resources"
    assert judge("container.create", run_body(NanoCpus=0, CpuShares=512), CPU) == (
        "require_resources"
    )
    assert judge("container.create", run_body(NanoCpus=0, CpuQuota=50000), CPU) is None


def test_update_cannot_remove_limits() -> None:
    assert judge("container.update", update_body(), path=UPDATE) is None
    assert judge("container.update", update_body(PidsLimit=200), path=UPDATE) is None
    assert judge("container.update", update_body(PidsLimit=-1), path=UPDATE) == (
        "require_resources"
    )
    assert judge("container.update", update_body(PidsLimit=0), path=UPDATE) == ("require_resources")
    assert judge("container.update", update_body(Memory=-1), path=UPDATE) == "require_resources"
    assert judge("container.update", update_body(CpuQuota=-1), CPU, path=UPDATE) == (
        "require_resources"
    )
    assert judge("container.update", update_body(Memory="1g"), path=UPDATE) == "body"


def test_update_adding_privileges() -> None:
    assert judge("container.update", update_body(Privileged=True), path=UPDATE) == "privileged"
    assert judge("container.update", update_body(CapAdd=["SYS_ADMIN"]), path=UPDATE) == "cap_add"


def test_service_limits() -> None:
    assert judge("service.create", service_body()) is None
    body = service_body()
    body["TaskTemplate"]["Resources"]["Limits"] = {"MemoryBytes": 67108864}
    assert judge("service.create", body) == "require_resources"
    del body["TaskTemplate"]["Resources"]
    assert judge("service.create", body) == "require_resources"
    assert judge("service.create", service_body(), CPU) == "require_resources"
