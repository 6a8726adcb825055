"""``privileged``: every place and spelling of ``Privileged``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body


def test_the_hardened_run_is_allowed() -> None:
    assert judge("container.create", run_body()) is None


def _without_host_config(**top: object) -> dict[str, object]:
    body = run_body()
    host = body.pop("HostConfig")
    return {**body, "Memory": host["Memory"], "PidsLimit": host["PidsLimit"], **top}


def _renamed_host_config() -> dict[str, object]:
    body = run_body(Privileged=True)
    body["hostconfig"] = body.pop("HostConfig")
    return body


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(run_body(Privileged=True), id="HostConfig"),
        pytest.param({**run_body(), "Privileged": True}, id="top-level-next-to-HostConfig"),
        pytest.param(_without_host_config(Privileged=True), id="top-level-alone"),
        pytest.param({**run_body(), "HostConfig": None, "Privileged": True}, id="null-HostConfig"),
        pytest.param(_renamed_host_config(), id="lower-case-hostconfig"),
    ],
)
def test_privileged_is_refused_wherever_it_is(body: dict[str, object]) -> None:
    assert judge("container.create", body) == "privileged"


def test_the_body_without_host_config_is_otherwise_fine() -> None:
    assert judge("container.create", _without_host_config()) is None


def test_lower_case_field_name() -> None:
    body = run_body()
    body["HostConfig"]["privileged"] = True
    del body["HostConfig"]["Privileged"]
    assert judge("container.create", body) == "privileged"


def test_a_start_body_is_a_host_config() -> None:
    assert judge("container.start", {"Privileged": True}, path="/containers/x/start") == (
        "privileged"
    )
    assert judge("container.start", {"Binds": None}, path="/containers/x/start") is None
    assert judge("container.start", None, path="/containers/x/start") is None


def test_a_string_is_not_a_boolean() -> None:
    assert judge("container.create", run_body(Privileged="true")) == "body"


def test_the_rule_can_allow_it() -> None:
    assert (
        judge("container.create", run_body(Privileged=True), replace(DEVELOPER, privileged=True))
        is None
    )


def test_reason_names_the_field() -> None:
    assert reason("container.create", run_body(Privileged=True)).startswith(
        "HostConfig.Privileged is true"
    )
    assert reason("container.create", {**run_body(), "Privileged": True}).startswith(
        "Privileged is true"
    )
