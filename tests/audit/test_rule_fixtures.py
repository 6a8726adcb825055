"""Every audit rule against its pass/fail fixtures (tests/audit/rules/<ID>/<outcome>/*.json).

The folder name is the expected outcome: ``fail`` needs at least one fail/warn result and
``pass``/``info``/``skip``/``manual``/``error`` need every result of the rule to be that
outcome. An ``expect`` map in a fixture pins the outcome per target.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seawall.audit.benchmark import available_benchmarks, load_benchmark, parse_benchmark
from seawall.audit.engine import run_rules
from seawall.audit.rules import RULES
from seawall.model import Outcome
from tests.audit.facts_fixture import load_fixture

HERE = Path(__file__).parent / "rules"
FIXTURES = sorted(HERE.glob("*/*/*.json"))
_SHIPPED = (
    Path(__file__).parents[2] / "src/seawall/audit/benchmarks" / available_benchmarks()["cis-1.6"]
)
_DATA = yaml.safe_load(_SHIPPED.read_text(encoding="utf-8"))
# Fixture tests only need the item mapping; the strict check of rule IDs is its own test below.
BENCH = parse_benchmark(
    _DATA, "cis-1.6", frozenset(r for i in _DATA["items"] for r in i.get("rules") or ())
)


def test_shipped_benchmark_maps_only_registered_rules() -> None:
    bench = load_benchmark("cis-1.6", frozenset(RULES.ids()))
    assert len(bench.items) == 117


@pytest.mark.parametrize(
    "path", FIXTURES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}"
)
def test_rule_fixture(path: Path) -> None:
    rule_id, expected = path.parent.parent.name, path.parent.name
    facts, expect = load_fixture(path)
    results = run_rules([RULES.get(rule_id)], facts, BENCH)
    assert results, "the rule produced no result"
    outcomes = [r.outcome for r in results]
    if expected == "fail":
        assert any(o in (Outcome.FAIL, Outcome.WARN) for o in outcomes), results
    else:
        assert all(o is Outcome(expected) for o in outcomes), results
    for target, outcome in expect.items():
        got = [r.outcome.value for r in results if r.target == target]
        assert got == [outcome], (target, results)
    for r in results:
        if r.outcome in (Outcome.SKIP, Outcome.ERROR, Outcome.MANUAL):
            assert r.reason, f"{r.outcome} without a reason: {r}"


def test_every_rule_has_fixtures() -> None:
    missing = []
    for rule in RULES:
        dirs = {p.name for p in (HERE / rule.id).glob("*") if any(p.glob("*.json"))}
        need = {"info"} if rule.meta.informational else {"pass", "fail"}
        if not (need <= dirs or (dirs >= {"manual", "skip"})):
            missing.append(f"{rule.id}: has {sorted(dirs)}, needs {sorted(need)}")
    assert not missing, "\n".join(missing)
