"""Policy files: the shipped examples load; every kind of mistake is refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from seawall.authz.policy import Constraints, Scope, action_matches
from seawall.authz.policy_load import load_policy, parse_policy
from seawall.errors import ConfigError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"

MINIMAL = """
version: 1
roles:
  dev:
    rules:
      - name: run
        actions: [container.create]
        constraints: {cap_add: [cap_net_bind_service], host_paths: [/srv/data/]}
bindings:
  - role: dev
    users: [alice]
"""


@pytest.mark.parametrize("name", ["admin", "developer", "ci", "read-only"])
def test_shipped_examples_load(name: str) -> None:
    policy = load_policy(EXAMPLES / f"{name}.yaml")
    assert [r.name for r in policy.roles] == [name]
    assert policy.bindings and all(b.role == name for b in policy.bindings)


def test_values_are_normalised_and_defaults_are_safe() -> None:
    policy = parse_policy(MINIMAL)
    rule = policy.roles[0].rules[0]
    assert rule.name == "dev/run"
    assert rule.scope is Scope.ALL
    assert rule.constraints.cap_add == frozenset({"NET_BIND_SERVICE"})
    assert rule.constraints.host_paths == ("/srv/data",)
    safe = Constraints()
    assert not (safe.privileged or safe.devices or safe.unconfined or safe.unrestricted)
    assert safe.host_paths == () and safe.host_namespaces == frozenset()
    assert policy.anonymous_name == "local" and policy.min_api_version == "1.24"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("version: 1", "version: 2"), "version: must be 1"),
        (("actions: [container.create]", "actions: [container.crate]"), "matches no Engine API"),
        (("cap_add: [cap_net_bind_service]", "cap_add: [SYS_FOO]"), "unknown capability 'SYS_FOO'"),
        (("host_paths: [/srv/data/]", "host_paths: [/srv/../etc]"), "absolute and normalised"),
        (("host_paths: [/srv/data/]", "host_paths: [srv]"), "absolute and normalised"),
        (("role: dev", "role: developer"), "no role named 'developer'"),
        (("users: [alice]", "users: []"), "binds nobody"),
        (("- name: run", "- name: run\n        scope: mine"), "expected 'all' or 'owned'"),
        (("constraints: {", "constraints: {privileged: yes please, "), "expected true or false"),
        (("constraints: {", "constraints: {priviledged: true, "), "unknown key 'priviledged'"),
        (("constraints: {", "constraints: {unrestricted: true, "), "cannot be combined"),
        (("version: 1", "version: 1\nmin_api_version: '1.23'"), "1.24 or later"),
        (("version: 1", "version: 1\nversion: 1"), "duplicate key 'version'"),
        (("version: 1", "version: 1\ntokens: {ci: {sha256: hunter2}}"), "never the token itself"),
        (("users: [alice]", "tokens: [nobody]"), "no token named 'nobody'"),
    ],
)
def test_mistakes_are_refused_with_the_key_path(change: tuple[str, str], message: str) -> None:
    text = MINIMAL.replace(*change, 1)
    assert text != MINIMAL
    with pytest.raises(ConfigError) as err:
        parse_policy(text, source="p.yaml")
    assert message in err.value.message
    assert err.value.message.startswith("policy p.yaml: ")
    assert "\n" not in err.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\xff\xfe", "not UTF-8"),
        (b"roles: [", "invalid YAML"),
        (b"- 1\n- 2\n", "expected a mapping"),
        (b"!!python/object:os.system {}\n", "invalid YAML"),
    ],
)
def test_broken_files(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "p.yaml"
    p.write_bytes(content)
    with pytest.raises(ConfigError) as err:
        load_policy(p)
    assert message in err.value.message


def test_missing_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_policy(tmp_path / "nope.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(ConfigError, match="larger than"):
        load_policy(big)


def test_action_globs() -> None:
    assert action_matches(("container.*",), "container.archive.put")
    assert action_matches(("*",), "system.ping")
    assert not action_matches(("*",), "unknown")
    assert action_matches(("unknown",), "unknown")
    assert not action_matches(("container.create",), "container.created")
    assert not action_matches(("image.*",), "container.create")
