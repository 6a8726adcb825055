"""The Enforcer: fail closed without a policy, keep the last good one, label creates, log."""

from __future__ import annotations

import json
from pathlib import Path

from seawall.authz.enforce import Enforcer, PolicyHolder
from seawall.authz.log import DecisionLog
from seawall.authz.model import (
    OWNER_LABEL,
    ResourceKind,
    Subject,
    SubjectKind,
    TargetFacts,
    VolumeFacts,
)
from seawall.authz.request import normalise

POLICY = """
version: 1
roles:
  dev:
    rules:
      - {name: ping, actions: [system.ping]}
      - {name: create, actions: [container.create, volume.create], scope: owned}
      - {name: stop, actions: [container.stop], scope: owned}
bindings:
  - {role: dev, users: [alice]}
"""
ALICE = Subject(SubjectKind.USER, "alice", uid=1001)


class FakeLookups:
    """Answers target lookups from a dict and counts them."""

    def __init__(self, owners: dict[str, str], volumes: dict[str, VolumeFacts] | None = None):
        self.owners = owners
        self.volumes = volumes or {}
        self.calls = 0

    def target(self, kind: ResourceKind, ident: str) -> TargetFacts:
        self.calls += 1
        owner = self.owners.get(ident)
        return TargetFacts(known=True, exists=owner is not None, owner=owner)

    def volume(self, name: str) -> VolumeFacts:
        self.calls += 1
        return self.volumes.get(name, VolumeFacts(name, exists=False))


def _holder(tmp_path: Path, text: str) -> PolicyHolder:
    p = tmp_path / "policy.yaml"
    p.write_text(text)
    return PolicyHolder.load_or_closed(p)


def test_no_policy_fails_closed(tmp_path: Path) -> None:
    holder = _holder(tmp_path, "version: 7\n")
    assert holder.policy is None
    enforcer = Enforcer(holder, edge="plugin")
    v = enforcer.authorize(ALICE, normalise("GET", "/_ping", body=b"", body_sent=False))
    assert not v.decision.allow and v.decision.rule == "guard:no-policy"
    assert "missing key 'bindings'" in v.decision.reason


def test_failed_reload_keeps_the_last_good_policy(tmp_path: Path) -> None:
    holder = _holder(tmp_path, POLICY)
    assert holder.policy is not None
    (tmp_path / "policy.yaml").write_text("roles: [")
    assert not holder.reload()
    assert holder.policy is not None and holder.last_error
    ping = normalise("GET", "/_ping", body=b"", body_sent=False)
    assert Enforcer(holder, edge="proxy").authorize(ALICE, ping).decision.allow


def test_proxy_sets_and_overwrites_the_owner_label(tmp_path: Path) -> None:
    enforcer = Enforcer(_holder(tmp_path, POLICY), edge="proxy")
    body = json.dumps({"Image": "x", "labels": {OWNER_LABEL: "bob", "app": "web"}}).encode()
    v = enforcer.authorize(
        ALICE, normalise("POST", "/v1.41/containers/create", body=body, body_sent=True)
    )
    assert v.decision.allow and v.body is not None
    sent = json.loads(v.body)
    assert sent["labels"] == {OWNER_LABEL: "alice", "app": "web"}
    assert "Labels" not in sent  # the caller's spelling is reused, never a second key
    plugin = Enforcer(_holder(tmp_path, POLICY), edge="plugin")
    d = plugin.authorize(
        ALICE, normalise("POST", "/v1.41/containers/create", body=body, body_sent=True)
    ).decision
    assert not d.allow and "cannot label" in d.reason


def test_owner_lookups_only_when_a_rule_needs_them(tmp_path: Path) -> None:
    lookups = FakeLookups({"c1": "alice", "c2": "bob"})
    log_path = tmp_path / "log.jsonl"
    enforcer = Enforcer(
        _holder(tmp_path, POLICY), edge="proxy", lookups=lookups, log=DecisionLog(str(log_path))
    )
    stop = "/v1.41/containers/{}/stop"
    assert enforcer.authorize(
        ALICE, normalise("POST", stop.format("c1"), body=b"", body_sent=False)
    ).decision.allow
    assert not enforcer.authorize(
        ALICE, normalise("POST", stop.format("c2"), body=b"", body_sent=False)
    ).decision.allow
    assert lookups.calls == 2
    enforcer.authorize(ALICE, normalise("GET", "/_ping", body=b"", body_sent=False))
    assert lookups.calls == 2
    lines = [json.loads(x) for x in log_path.read_text().splitlines()]
    assert [x["decision"] for x in lines] == ["allow", "deny", "allow"]


def test_the_proxy_socket_is_guarded_like_the_engine_socket(tmp_path: Path) -> None:
    run = tmp_path / "run"
    (run / "data").mkdir(parents=True)
    (run / "docker.sock").touch()
    holder = _holder(
        tmp_path,
        POLICY.replace(
            "{name: create, actions: [container.create, volume.create], scope: owned}",
            f"{{name: create, actions: [container.create], constraints: {{host_paths: [{run}]}}}}",
        ),
    )
    enforcer = Enforcer(holder, edge="proxy", sockets=(str(run / "docker.sock"),))

    def create(src: Path) -> bool:
        body = {"Image": "x", "HostConfig": {"Binds": [f"{src}:/mnt"]}}
        req = normalise(
            "POST", "/v1.41/containers/create", body=json.dumps(body).encode(), body_sent=True
        )
        return enforcer.authorize(ALICE, req).decision.allow

    assert create(run / "data")  # the near miss: an allowed directory beside the socket
    assert not create(run / "docker.sock")
    assert not create(run)  # a parent of the socket


def test_existing_volumes_are_judged_by_how_they_were_made(tmp_path: Path) -> None:
    bind = {"type": "none", "o": "bind", "device": "/etc"}
    lookups = FakeLookups(
        {},
        {
            "etcvol": VolumeFacts("etcvol", exists=True, driver="local", options=bind),
            "plain": VolumeFacts("plain", exists=True, driver="local"),
            "broken": VolumeFacts("broken", known=False),
        },
    )
    holder = _holder(tmp_path, POLICY.replace("scope: owned}", "}", 1))
    proxy = Enforcer(holder, edge="proxy", lookups=lookups)
    plugin = Enforcer(holder, edge="plugin")

    def create(enforcer: Enforcer, host_config: dict[str, object]) -> str:
        body = json.dumps({"Image": "x", "HostConfig": host_config}).encode()
        req = normalise("POST", "/v1.41/containers/create", body=body, body_sent=True)
        d = enforcer.authorize(ALICE, req).decision
        return "allow" if d.allow else d.reason

    mount = {"Mounts": [{"Type": "volume", "Source": "etcvol", "Target": "/x"}]}
    for via in ({"Binds": ["etcvol:/x"]}, mount):
        assert "existing volume 'etcvol'" in create(proxy, via)
        assert "volume_options" in create(proxy, via)
    assert create(proxy, {"Binds": ["plain:/x"]}) == "allow"
    assert create(proxy, {"Binds": ["new-one:/x"]}) == "allow"
    assert "could not be looked up" in create(proxy, {"Binds": ["broken:/x"]})
    assert "cannot look up" in create(plugin, {"Binds": ["plain:/x"]})
    assert create(plugin, {"Binds": ["/tmp-is-not-allowed:/x"]}) != "allow"
