"""``runtimes``: the OCI runtime of a container."""

from __future__ import annotations

from dataclasses import replace

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body


def test_runtime() -> None:
    assert judge("container.create", run_body(Runtime="runc")) is None
    assert judge("container.create", run_body(Runtime="")) is None
    assert judge("container.create", run_body(Runtime="io.containerd.runc.v2")) == "runtimes"
    assert judge("container.create", {**run_body(), "Runtime": "kata"}) == "runtimes"
    kata = replace(DEVELOPER, runtimes=frozenset({"runc", "kata"}))
    assert judge("container.create", run_body(Runtime="kata"), kata) is None
    assert "(allowed: runc)" in reason("container.create", run_body(Runtime="nvidia"))
