"""The shared engine gates: seawall.audit.rules._engine and the swarm state helpers."""

from __future__ import annotations

from typing import Any

import pytest

from seawall.audit.model import Verdict
from seawall.audit.rules._engine import engine_with, unreachable
from seawall.audit.rules.swarm._state import active_engine, not_applicable, services, swarm_doc
from seawall.facts import EngineFacts
from seawall.model import Outcome
from tests.audit.facts_fixture import facts_from_fixture


def _swarm(control: bool, **engine: Any) -> dict[str, Any]:
    swarm = {"LocalNodeState": "active", "ControlAvailable": control}
    return {"engine": {"info": {"Swarm": swarm}, **engine}}


def test_unreachable_names_the_reason() -> None:
    facts = facts_from_fixture({"no_engine": "connection refused"})
    assert unreachable(facts).reason == "engine not reachable: connection refused"


def test_engine_with_returns_the_engine_when_the_part_was_read() -> None:
    facts = facts_from_fixture({})
    assert isinstance(engine_with(facts, "images", "images could not be listed"), EngineFacts)


def test_engine_with_errors_without_engine_or_part() -> None:
    down = engine_with(facts_from_fixture({"no_engine": "refused"}), "images", "unused")
    assert isinstance(down, Verdict)
    assert (down.outcome, down.reason) == (Outcome.ERROR, "engine not reachable: refused")
    facts = facts_from_fixture({"engine": {"errors": {"images": "HTTP 500"}}})
    unread = engine_with(facts, "images", "images could not be listed")
    assert isinstance(unread, Verdict)
    assert unread.reason == "images could not be listed: HTTP 500"


def test_active_engine_and_not_applicable() -> None:
    active = facts_from_fixture(_swarm(control=True))
    assert isinstance(active_engine(active), EngineFacts)
    assert not_applicable(active) is None
    inactive = facts_from_fixture({})
    gate = not_applicable(inactive)
    assert gate is not None
    assert gate == active_engine(inactive)
    assert (gate.outcome, gate.reason) == (Outcome.SKIP, "swarm mode is not active")


@pytest.mark.parametrize(
    ("control", "errors", "outcome", "reason"),
    [
        (
            False,
            {},
            Outcome.SKIP,
            "not a swarm manager: cluster settings are only visible on managers",
        ),
        (True, {}, Outcome.ERROR, "swarm settings could not be read: GET /swarm returned nothing"),
        (True, {"swarm": "HTTP 503"}, Outcome.ERROR, "swarm settings could not be read: HTTP 503"),
    ],
)
def test_swarm_doc_missing(
    control: bool, errors: dict[str, str], outcome: Outcome, reason: str
) -> None:
    verdict = swarm_doc(facts_from_fixture(_swarm(control, errors=errors)))
    assert isinstance(verdict, Verdict)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


@pytest.mark.parametrize(
    ("control", "errors", "outcome", "reason"),
    [
        (False, {}, Outcome.SKIP, "not a swarm manager: services are only listed on managers"),
        (
            True,
            {},
            Outcome.ERROR,
            "swarm services could not be listed: GET /services returned nothing",
        ),
        (
            True,
            {"services": "HTTP 503"},
            Outcome.ERROR,
            "swarm services could not be listed: HTTP 503",
        ),
    ],
)
def test_services_missing(
    control: bool, errors: dict[str, str], outcome: Outcome, reason: str
) -> None:
    verdict = services(facts_from_fixture(_swarm(control, errors=errors)))
    assert isinstance(verdict, Verdict)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_swarm_doc_and_services_when_read() -> None:
    doc = {"ID": "abc", "Spec": {}}
    facts = facts_from_fixture(_swarm(control=True, swarm=doc, services=[{"ID": "s1"}]))
    assert swarm_doc(facts) == doc
    assert services(facts) == ({"ID": "s1"},)
