"""``cgroup_parent`` on create, update and classic builds."""

from __future__ import annotations

from dataclasses import replace

from tests.authz.cli_bodies import DEVELOPER, judge, run_body, update_body

ALLOWED = replace(DEVELOPER, cgroup_parent=True)


def test_cgroup_parent() -> None:
    assert judge("container.create", run_body(CgroupParent="/")) == "cgroup_parent"
    assert judge("container.create", {**run_body(), "CgroupParent": "x.slice"}) == "cgroup_parent"
    assert judge("container.create", run_body(CgroupParent="/"), ALLOWED) is None
    assert judge("container.create", run_body(CgroupParent="")) is None
    update = update_body(CgroupParent="/")
    assert judge("container.update", update, path="/containers/x/update") == "cgroup_parent"
    assert judge("image.build", None, path="/build", query={"cgroupparent": "/"}) == "cgroup_parent"
    assert judge("image.build", None, ALLOWED, path="/build", query={"cgroupparent": "/"}) is None
