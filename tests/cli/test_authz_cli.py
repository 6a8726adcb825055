"""``seawall authz validate`` and ``seawall authz check``: output and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seawall.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"


def test_validate_summarises_a_good_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["authz", "validate", str(EXAMPLES / "developer.yaml")]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "role developer: 4 rule(s)" in out
    assert "group:docker-developers" in out and "cert:developer" in out


def test_validate_refuses_a_bad_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nroles: {}\nbindings: []\n")
    assert main(["authz", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "roles: at least one role" in err and "Traceback" not in err


def _check(*args: str) -> int:
    return main(["authz", "check", "--policy", str(EXAMPLES / "developer.yaml"), *args])


def test_check_allows_and_denies_with_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "Image": "127.0.0.1:5000/app:1",
                "User": "1000:1000",
                "HostConfig": {"Memory": 67108864, "PidsLimit": 64},
            }
        )
    )
    args = ["--cert", "developer", "--method", "POST", "--uri", "/v1.41/containers/create"]
    assert _check(*args, "--body", str(good)) == 0
    assert capsys.readouterr().out.startswith("allow\tdeveloper/run-hardened\tcontainer.create")
    bad = tmp_path / "bad.json"
    doc = json.loads(good.read_text())
    doc["HostConfig"]["Privileged"] = True
    bad.write_text(json.dumps(doc))
    assert _check(*args, "--body", str(bad)) == 1
    out = capsys.readouterr().out
    assert out.startswith("deny\tdeveloper/run-hardened") and "privileged" in out.lower()
    assert _check("--anonymous", "--method", "GET", "--uri", "/v1.41/info") == 1
    assert "default-deny" in capsys.readouterr().out


def test_check_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert _check("--user", "no-such-user-xyz", "--method", "GET", "--uri", "/_ping") == 2
    assert "unknown unix user" in capsys.readouterr().err
    assert _check("--method", "GET", "--uri", "/_ping") == 2
    assert "exactly one of" in capsys.readouterr().err
    assert (
        main(
            [
                "authz",
                "check",
                "--policy",
                "/nonexistent.yaml",
                "--anonymous",
                "--method",
                "GET",
                "--uri",
                "/_ping",
            ]
        )
        == 2
    )
    assert "no such file" in capsys.readouterr().err


def test_check_simulates_the_chosen_edge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--owner / --container-user stand in for the proxy's lookups; the plugin looks nothing up."""
    exec_body = tmp_path / "exec.json"
    exec_body.write_text(json.dumps({"Cmd": ["sh"], "User": ""}))
    args = ["--cert", "developer", "--method", "POST", "--uri", "/v1.41/containers/c1/exec"]
    args += ["--body", str(exec_body), "--owner", "developer", "--container-user", "1000"]
    assert _check(*args) == 0
    assert capsys.readouterr().out.startswith("allow\tdeveloper/operate-own")
    assert _check(*args, "--edge", "plugin") == 1
    assert "scope owned" in capsys.readouterr().out
