"""``host_namespaces``: host modes, ``container:`` joins, the ``host`` network."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body, service_body


@pytest.mark.parametrize(
    ("field", "value", "namespace"),
    [
        ("NetworkMode", "host", "network"),
        ("NetworkMode", "HOST", "network"),
        ("PidMode", "host", "pid"),
        ("IpcMode", "host", "ipc"),
        ("UTSMode", "host", "uts"),
        ("UsernsMode", "host", "userns"),
        ("CgroupnsMode", "host", "cgroupns"),
        ("NetworkMode", "container:web", "container"),
        ("PidMode", "container:0123456789ab", "container"),
        ("IpcMode", "container:web", "container"),
        ("Cgroup", "container:web", "container"),
    ],
)
def test_host_namespaces_and_joins(field: str, value: str, namespace: str) -> None:
    assert judge("container.create", run_body(**{field: value})) == "host_namespaces"
    assert judge("container.create", {**run_body(), field: value}) == "host_namespaces"
    granted = replace(DEVELOPER, host_namespaces=frozenset({namespace}))
    assert judge("container.create", run_body(**{field: value}), granted) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("NetworkMode", "bridge"),
        ("NetworkMode", "default"),
        ("NetworkMode", "none"),
        ("NetworkMode", "my-net"),
        ("IpcMode", "shareable"),
        ("IpcMode", "private"),
        ("CgroupnsMode", "private"),
    ],
)
def test_private_modes_are_fine(field: str, value: str) -> None:
    assert judge("container.create", run_body(**{field: value})) is None


def test_other_colon_forms_are_refused_even_when_granted() -> None:
    every = replace(DEVELOPER, host_namespaces=frozenset({"network", "pid", "container"}))
    assert judge("container.create", run_body(PidMode="ns:/proc/1/ns/pid"), every) == (
        "host_namespaces"
    )


def test_host_network_by_endpoint_and_service_network() -> None:
    body = run_body(NetworkMode="default")
    body["NetworkingConfig"] = {"EndpointsConfig": {"host": {}}}
    assert judge("container.create", body) == "host_namespaces"
    body["NetworkingConfig"] = {"EndpointsConfig": {"my-net": {}}}
    assert judge("container.create", body) is None
    body["NetworkingConfig"] = {"EndpointsConfig": ["host"]}
    assert judge("container.create", body) == "body"
    service = service_body()
    service["TaskTemplate"]["Networks"] = [{"Target": "host"}]
    assert judge("service.create", service) == "host_namespaces"
    service = service_body()
    service["Networks"] = [{"Target": "HOST"}]
    assert judge("service.create", service) == "host_namespaces"
    service["Networks"] = [{"Target": "backend"}]
    assert judge("service.create", service) is None


def test_reason() -> None:
    assert reason("container.create", run_body(PidMode="host")) == (
        "HostConfig.PidMode is 'host' (the host pid namespace)"
    )
