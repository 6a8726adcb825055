"""``network.create``: drivers and options that reach host interfaces."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, network_body

HOSTNET = replace(DEVELOPER, host_namespaces=frozenset({"network"}))


@pytest.mark.parametrize(
    "body",
    [
        network_body(Driver="macvlan", Options={"parent": "eth0"}),
        network_body(Driver="ipvlan"),
        network_body(Driver="host"),
        network_body(Driver="weave/net-plugin"),
        network_body(Options={"com.docker.network.bridge.name": "docker0"}),
        network_body(Driver="overlay", Options={"parent": "eth0"}),
        network_body(ConfigFrom={"Network": "admin-macvlan-config"}),
        network_body(Driver="overlay", Ingress=True),
    ],
)
def test_networks_on_host_interfaces_need_host_networking(body: dict[str, object]) -> None:
    assert judge("network.create", body) == "host_namespaces"
    assert judge("network.create", body, HOSTNET) is None


@pytest.mark.parametrize(
    "body",
    [
        network_body(),
        network_body(Driver=""),
        network_body(Driver="overlay", Attachable=True, Options={"encrypted": ""}),
        network_body(Options={"com.docker.network.driver.mtu": "1400"}),
        {"Name": "n"},
    ],
)
def test_ordinary_networks(body: dict[str, object]) -> None:
    assert judge("network.create", body) is None
