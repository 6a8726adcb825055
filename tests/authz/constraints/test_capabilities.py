"""``cap_add``: every spelling of an added capability, ``ALL`` and the legacy full list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body, service_body

NET = replace(DEVELOPER, cap_add=frozenset({"NET_BIND_SERVICE"}))


@pytest.mark.parametrize(
    "cap",
    [
        "SYS_ADMIN",
        "CAP_SYS_ADMIN",
        "sys_admin",
        "cap_sys_admin",
        "Cap_Sys_Admin",
        "ALL",
        "all",
        "\u017fys_admin",  # Go upper-cases the long s to S
        "net_bind_service\u212a",
    ],
)
def test_added_capabilities_are_refused(cap: str) -> None:
    assert judge("container.create", run_body(CapAdd=[cap]), NET) == "cap_add"


@pytest.mark.parametrize("cap", ["NET_BIND_SERVICE", "cap_net_bind_service", "net_bind_service"])
def test_allowed_capability_in_any_spelling(cap: str) -> None:
    assert judge("container.create", run_body(CapAdd=[cap], CapDrop=["ALL"]), NET) is None


def test_all_only_when_listed_literally() -> None:
    every = replace(DEVELOPER, cap_add=frozenset({"ALL"}))
    assert judge("container.create", run_body(CapAdd=["all"]), every) is None
    assert judge("container.create", run_body(CapAdd=["SYS_ADMIN"]), every) is None
    many = replace(DEVELOPER, cap_add=frozenset({"SYS_ADMIN", "NET_ADMIN"}))
    assert judge("container.create", run_body(CapAdd=["ALL"]), many) == "cap_add"


def test_top_level_cap_add() -> None:
    assert judge("container.create", {**run_body(), "CapAdd": ["SYS_ADMIN"]}) == "cap_add"


def test_legacy_capabilities_list_beyond_the_defaults() -> None:
    defaults = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID"]
    assert judge("container.create", run_body(Capabilities=defaults)) is None
    assert judge("container.create", run_body(Capabilities=[*defaults, "SYS_ADMIN"])) == "cap_add"


def test_service_capability_add() -> None:
    assert judge("service.create", service_body(CapabilityAdd=["CAP_SYS_ADMIN"])) == "cap_add"
    assert judge("service.create", service_body(CapabilityAdd=["NET_BIND_SERVICE"]), NET) is None


def test_reason_shows_the_normalised_and_given_name() -> None:
    assert "CAP_SYS_ADMIN ('sys_admin')" in reason(
        "container.create", run_body(CapAdd=["sys_admin"])
    )
    assert "non-ASCII" in reason("container.create", run_body(CapAdd=["\u017fys_admin"]))
