"""The CLI as a user runs it: rules catalogue, --from-facts audits, usage errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from seawall.cli import main
from seawall.facts.snapshot import save_facts
from seawall.output import report_schema
from tests.audit.facts_fixture import facts_from_fixture


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    facts = facts_from_fixture(
        {
            "containers": [
                {
                    "Id": "1",
                    "Name": "/priv",
                    "Config": {"Image": "x"},
                    "State": {"Running": False},
                    "HostConfig": {"Privileged": True},
                },
            ],
        }
    )
    path = tmp_path / "facts.json"
    save_facts(facts, path)
    return path


def test_rules_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in rules]
    assert "RT005" in ids and len(ids) == len(set(ids))
    assert next(r for r in rules if r["id"] == "RT005")["cis"] == ["5.5"]
    assert main(["rules", "show", "rt005"]) == 0
    out = capsys.readouterr().out
    assert "RT005" in out and "5.5" in out and "Fix." in out
    assert main(["rules", "show", "ZZ123"]) == 2
    assert "no rule 'ZZ123'" in capsys.readouterr().err


def test_from_facts_same_clock_same_json(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "audit",
        "--from-facts",
        str(snapshot),
        "--format",
        "json",
        "--now",
        "2026-11-29T12:00:00Z",
        "--checks",
        "RT005,RT010,RT015,DM006",
    ]
    assert main(args) == 1
    first = capsys.readouterr().out
    assert main(args) == 1
    assert capsys.readouterr().out == first
    report = json.loads(first)
    jsonschema.validate(report, report_schema())
    assert report["schema_version"]
    priv = [r for r in report["results"] if r["rule_id"] == "RT005"]
    assert [r["outcome"] for r in priv] == ["fail"]


def test_fail_on_and_exit_code(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["audit", "--from-facts", str(snapshot), "--format", "json", "--checks", "RT005"]
    assert main([*base, "--exit-code", "3"]) == 3
    assert main([*base, "--fail-on", "critical", "--exit-code", "3"]) == 3  # RT005 is critical
    assert (
        main(["audit", "--from-facts", str(snapshot), "--format", "json", "--checks", "RT015"]) == 0
    )
    capsys.readouterr()


def test_ignore_file_suppresses_but_keeps(
    snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ign = tmp_path / "ign"
    ign.write_text("RT005 # accepted for the lab box\n")
    rc = main(
        [
            "audit",
            "--from-facts",
            str(snapshot),
            "--format",
            "json",
            "--checks",
            "RT005",
            "--ignore-file",
            str(ign),
        ]
    )
    assert rc == 0
    report = json.loads(capsys.readouterr().out)
    priv = [r for r in report["results"] if r["rule_id"] == "RT005"]
    assert priv and priv[0]["suppression"]["justification"] == "accepted for the lab box"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "--checks", "5.99"], "matches no rule ID"),
        (["audit", "--fail-on", "urgent"], "unknown severity"),
        (["audit", "--from-facts", "/nonexistent/facts.json"], "cannot read facts file"),
        (["audit", "--benchmark", "cis-0.1"], "unknown benchmark"),
        (["audit", "--now", "yesterday"], "not an ISO 8601 time"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_config_file_sets_defaults_and_flags_win(
    snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("audit:\n  exit-code: 4\n  checks: [RT005]\n")
    assert (
        main(["--config", str(cfg), "audit", "--from-facts", str(snapshot), "--format", "json"])
        == 4
    )
    assert (
        main(
            [
                "--config",
                str(cfg),
                "audit",
                "--from-facts",
                str(snapshot),
                "--format",
                "json",
                "--exit-code",
                "5",
            ]
        )
        == 5
    )
    monkeypatch.setenv("SEAWALL_EXIT_CODE", "6")
    assert (
        main(["--config", str(cfg), "audit", "--from-facts", str(snapshot), "--format", "json"])
        == 6
    )
    capsys.readouterr()


def test_rule_docs_are_generated_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/rules/audit.md is the output of `seawall rules list --format markdown`, never hand-edited."""
    assert main(["rules", "list", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    committed = (Path(__file__).parents[2] / "docs" / "rules" / "audit.md").read_text(
        encoding="utf-8"
    )
    assert committed == generated, (
        "regenerate: seawall rules list --format markdown > docs/rules/audit.md"
    )
