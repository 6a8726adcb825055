"""``sysctls``: names and prefixes, either separator."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.constraints.sysctls import allowed
from tests.authz.cli_bodies import DEVELOPER, judge, run_body, service_body

PING = replace(DEVELOPER, sysctls=("net.ipv4.ping_group_range", "net.ipv6."))


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("net.ipv4.ping_group_range", True),
        ("net/ipv4/ping_group_range", True),
        ("net.ipv6.conf.all.disable_ipv6", True),
        ("net.ipv6.", False),
        ("net.ipv4.ip_forward", False),
        ("net.ipv4.ping_group_range.x", False),
        ("kernel.shm_rmid_forced", False),
    ],
)
def test_allowed(name: str, ok: bool) -> None:
    assert allowed(name, PING.sysctls) is ok


def test_sysctls_on_create_and_service() -> None:
    body = run_body(Sysctls={"net.ipv4.ip_forward": "1"})
    assert judge("container.create", body) == "sysctls"
    assert judge("container.create", {**run_body(), "Sysctls": {"kernel.msgmax": "1"}}) == "sysctls"
    assert (
        judge("container.create", run_body(Sysctls={"net.ipv4.ping_group_range": "0 1"}), PING)
        is None
    )
    assert judge("service.create", service_body(Sysctls={"net.ipv4.ip_forward": "1"})) == "sysctls"
    assert judge("container.create", run_body(Sysctls={"a": 1})) == "body"
