"""Benchmarks are data: loading, validation, and a renumbered later version with no code change."""

from __future__ import annotations

from pathlib import Path

import pytest

from seawall.audit.benchmark import load_benchmark, parse_benchmark
from seawall.audit.engine import build_controls, run_rules
from seawall.audit.rules import RULES
from seawall.audit.select import select
from seawall.errors import ConfigError, UsageError
from tests.audit.facts_fixture import facts_from_fixture

FAKE = Path(__file__).parent / "bench_fixtures" / "cis_fake_2.0.yaml"
KNOWN = frozenset(RULES.ids())
PRIV = {
    "containers": [
        {
            "Id": "1",
            "Name": "/p",
            "Config": {"Image": "x"},
            "State": {},
            "HostConfig": {"Privileged": True},
        }
    ]
}


def test_cis_16_has_all_117_items_in_order() -> None:
    bench = load_benchmark("cis-1.6", KNOWN)
    assert len(bench.items) == 117
    assert bench.items[0].id == "1.1.1" and bench.items[-1].id == "7.9"
    assert {i.id for i in bench.items if i.manual} == {"1.2.1", "4.3", "4.4", "4.11", "4.12"}


def test_later_version_with_renumbering_needs_no_code_change() -> None:
    bench = load_benchmark(str(FAKE), KNOWN)
    facts = facts_from_fixture(PRIV)
    sel = select(bench, RULES.ids())
    rules = [r for r in RULES if r.id in sel.rule_ids]
    results = run_rules(rules, facts, bench)
    priv = [r for r in results if r.rule_id == "RT005"]
    assert priv and priv[0].controls == ("1.1",) and priv[0].section == "1"
    rows = {c.id: c for c in build_controls(bench, results, sel)}
    assert rows["1.1"].outcome.value == "fail"
    assert rows["2.1"].outcome.value == "manual" and rows["2.1"].manual_reason


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ([], "expected a mapping"),
        ({"id": "x", "title": "t", "sections": {"1": "a"}}, "missing key 'items'"),
        (
            {
                "id": "x",
                "title": "t",
                "sections": {"1": "a"},
                "items": [{"id": "1.1", "rules": ["ZZ999"]}],
            },
            "unknown rule",
        ),
        (
            {"id": "x", "title": "t", "sections": {"1": "a"}, "items": [{"id": "1.1"}]},
            "exactly one of",
        ),
        (
            {
                "id": "x",
                "title": "t",
                "sections": {"1": "a"},
                "items": [{"id": "1.1", "manual": "m"}, {"id": "1.1", "manual": "m"}],
            },
            "duplicate",
        ),
        (
            {
                "id": "x",
                "title": "t",
                "sections": {"1": "a"},
                "items": [{"id": "9.1", "manual": "m"}],
            },
            "no declared section",
        ),
    ],
)
def test_malformed_benchmarks_are_refused(doc: object, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        parse_benchmark(doc, "t.yaml", KNOWN)


def test_unknown_benchmark_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown benchmark"):
        load_benchmark("cis-9.9", KNOWN)
    bad = tmp_path / "b.yaml"
    bad.write_text("id: [unclosed")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_benchmark(str(bad), KNOWN)


def test_selection_by_item_section_glob_and_id() -> None:
    bench = load_benchmark("cis-1.6", KNOWN)
    ids = RULES.ids()
    assert select(bench, ids, ["5.5"]).rule_ids == {"RT005"}
    assert select(bench, ids, ["1.1"]).item_ids == {f"1.1.{n}" for n in range(1, 19)}
    five = select(bench, ids, ["5"])
    assert len(five.item_ids) == 32 and all(r.startswith("RT") for r in five.rule_ids)
    assert select(bench, ids, ["rt00*"], ["RT005"]).rule_ids == {
        f"RT00{n}" for n in range(1, 10)
    } - {"RT005"}
    sel = select(bench, ids, [], ["7", "LC"])
    assert not any(i.startswith("7.") for i in sel.item_ids)
    assert "LC001" in sel.deselected and "7.1" in sel.deselected
    with pytest.raises(UsageError, match="matches no rule"):
        select(bench, ids, ["5.99"])
