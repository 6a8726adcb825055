"""Saved facts: atomic writes, faithful replay, and one-line refusals of bad snapshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seawall.errors import FactsError
from seawall.facts.snapshot import load_facts, save_facts
from tests.audit.facts_fixture import facts_from_fixture

FIXTURE = {
    "containers": [
        {
            "Id": "1",
            "Name": "/p",
            "Config": {"Image": "x"},
            "State": {"Running": True},
            "HostConfig": {"Privileged": True, "CapAdd": ["cap_sys_admin"]},
        }
    ]
}


def test_round_trip_is_exact(tmp_path: Path) -> None:
    facts = facts_from_fixture(FIXTURE)
    path = tmp_path / "f.json"
    save_facts(facts, path)
    assert load_facts(path) == facts
    save_facts(facts, path)
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]  # no temp files left behind


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{", "not valid JSON"),
        (b"[]", "expected a JSON object"),
        (b'{"facts_version": 99}', "facts_version 99 is not supported"),
        (b'{"facts_version": 1, "collected_at": 5}', r"\$.collected_at: expected str"),
    ],
)
def test_bad_snapshots_are_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(FactsError, match=problem):
        load_facts(path)


def test_unwritable_destination(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="cannot write facts"):
        save_facts(facts_from_fixture({}), tmp_path / "no-dir" / "f.json")


def test_truncated_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    save_facts(facts_from_fixture(FIXTURE), path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(FactsError, match="not valid JSON"):
        load_facts(path)
    json.loads(text)  # the original was fine
