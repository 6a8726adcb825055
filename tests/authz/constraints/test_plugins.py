"""``plugin_privileges``: plugin install with privileges, settings, plugin services."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.body import BodyError
from seawall.authz.policy import Constraints
from tests.authz.cli_bodies import DEVELOPER, PLUGIN_PRIVILEGES, judge, service_body

PULL = "/plugins/pull"
OPEN = Constraints()
GRANTED = Constraints(plugin_privileges=True)


def test_install_with_privileges() -> None:
    query = {"remote": "docker.io/vieux/sshfs", "name": ""}
    assert judge("plugin.install", PLUGIN_PRIVILEGES, OPEN, path=PULL, query=query) == (
        "plugin_privileges"
    )
    assert judge("plugin.install", PLUGIN_PRIVILEGES, GRANTED, path=PULL, query=query) is None
    assert judge("plugin.install", [], OPEN, path=PULL, query=query) is None
    upgrade = "/plugins/sshfs/upgrade"
    assert judge("plugin.upgrade", PLUGIN_PRIVILEGES[:1], OPEN, path=upgrade, query=query) == (
        "plugin_privileges"
    )
    with pytest.raises(BodyError, match="expected a JSON array"):
        judge("plugin.install", {"Name": "x"}, OPEN, path=PULL, query=query)


def test_install_remote_registry() -> None:
    local = replace(GRANTED, registries=("127.0.0.1:5000",))
    query = {"remote": "vieux/sshfs"}
    assert judge("plugin.install", [], local, path=PULL, query=query) == "registries"
    query = {"remote": "127.0.0.1:5000/plugins/sshfs:1"}
    assert judge("plugin.install", PLUGIN_PRIVILEGES, local, path=PULL, query=query) is None


def test_malformed_privileges() -> None:
    assert judge("plugin.install", ["network"], OPEN, path=PULL) == "body"


def test_set() -> None:
    path = "/plugins/sshfs/set"
    assert judge("plugin.set", ["DEBUG=1"], OPEN, path=path) == "plugin_privileges"
    assert judge("plugin.set", ["mymount.source=/etc"], OPEN, path=path) == "plugin_privileges"
    assert judge("plugin.set", ["DEBUG=1"], GRANTED, path=path) is None
    assert judge("plugin.set", [], OPEN, path=path) is None


def test_plugin_services() -> None:
    body = service_body()
    body["TaskTemplate"] = {
        "Runtime": "plugin",
        "PluginSpec": {"Name": "sshfs", "Remote": "127.0.0.1:5000/sshfs", "Privileges": []},
    }
    assert judge("service.create", body, replace(DEVELOPER, require_resources=frozenset())) == (
        "plugin_privileges"
    )
    body["TaskTemplate"]["Runtime"] = "attachment"
    del body["TaskTemplate"]["PluginSpec"]
    assert judge("service.create", body) == "body"
