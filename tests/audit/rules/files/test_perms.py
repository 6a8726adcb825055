"""The ownership and "N or more restrictive" mode checks behind FP001-FP024."""

from __future__ import annotations

import pytest

from seawall.audit.rules.files._perms import ownership, permissions
from seawall.facts import FileStat
from seawall.model import Outcome
from tests.audit.facts_fixture import facts_from_fixture

FACTS = facts_from_fixture({"host": {"docker_gid": 105}})


def _f(mode: int = 0o644, uid: int = 0, gid: int = 0, group: str | None = "root") -> FileStat:
    return FileStat("/x", True, "file", uid, gid, mode, "root", group)


@pytest.mark.parametrize(
    ("mode", "allowed", "outcome", "beyond"),
    [
        (0o644, 0o644, Outcome.PASS, None),
        (0o600, 0o644, Outcome.PASS, None),
        (0o000, 0o400, Outcome.PASS, None),
        (0o664, 0o644, Outcome.FAIL, "0020"),
        (0o646, 0o644, Outcome.FAIL, "0002"),
        (0o4755, 0o755, Outcome.FAIL, "4000"),
        (0o1755, 0o755, Outcome.FAIL, "1000"),
        (0o440, 0o400, Outcome.FAIL, "0040"),
        (0o500, 0o400, Outcome.FAIL, "0100"),
        (0o660, 0o660, Outcome.PASS, None),
        (0o670, 0o660, Outcome.FAIL, "0010"),
    ],
)
def test_mode_is_a_bit_mask(mode: int, allowed: int, outcome: Outcome, beyond: str | None) -> None:
    (v,) = permissions([_f(mode)], allowed)
    assert v.outcome is outcome
    if beyond:
        assert v.evidence == (f"mode {mode:04o} has bits {beyond} beyond {allowed:04o}",)


@pytest.mark.parametrize(
    ("uid", "gid", "group", "docker_group", "outcome"),
    [
        (0, 0, "root", False, Outcome.PASS),
        (1000, 0, "root", False, Outcome.FAIL),
        (0, 105, "docker", False, Outcome.FAIL),
        (0, 105, "docker", True, Outcome.PASS),
        (0, 105, None, True, Outcome.PASS),  # by gid when the name is unknown
        (0, 998, "docker", True, Outcome.PASS),  # by name when the gid differs
        (0, 0, "root", True, Outcome.PASS),
        (0, 1000, "devs", True, Outcome.FAIL),
        (1000, 105, "docker", True, Outcome.FAIL),
    ],
)
def test_ownership(
    uid: int, gid: int, group: str | None, docker_group: bool, outcome: Outcome
) -> None:
    (v,) = ownership(FACTS, [_f(uid=uid, gid=gid, group=group)], docker_group=docker_group)
    assert v.outcome is outcome
    assert v.target == "/x"
    assert v.location is not None
    assert v.location.uri == "/x"


def test_unknown_mode_or_owner_is_an_error() -> None:
    blank = FileStat("/x", True, "file")
    assert permissions([blank], 0o644)[0].outcome is Outcome.ERROR
    assert ownership(FACTS, [blank])[0].outcome is Outcome.ERROR
