"""The decision engine: guards first, then roles and rules in order, scope, then constraints."""

from __future__ import annotations

import json

import pytest

from seawall.authz.decide import decide
from seawall.authz.model import ApiRequest, Context, Subject, SubjectKind, TargetFacts
from seawall.authz.policy_load import parse_policy
from seawall.authz.request import normalise

POLICY = parse_policy(
    """
version: 1
roles:
  admin:
    rules:
      - {name: all, actions: ["*"], constraints: {unrestricted: true}}
  dev:
    rules:
      - {name: read, actions: [system.ping, container.list, container.inspect]}
      - name: run
        actions: [container.create]
        constraints: {non_root: true, require_resources: [memory]}
      - name: own
        actions: [container.start, container.delete]
        scope: owned
  explorer:
    rules:
      - {name: any-route, actions: [unknown]}
bindings:
  - {role: admin, users: [root]}
  - {role: dev, groups: [devs], certs: [dev-cert]}
  - {role: explorer, users: [eve]}
"""
)
ALICE = Subject(SubjectKind.USER, "alice", uid=1001, gid=1001, groups=frozenset({"devs"}))
ROOT = Subject(SubjectKind.USER, "root", uid=0, gid=0)
HARDENED = {"Image": "app", "User": "1000", "HostConfig": {"Memory": 64 << 20}}


def req(method: str, uri: str, body: object | None = None, *, seen: bool = True) -> ApiRequest:
    raw = json.dumps(body).encode() if body is not None else b""
    return normalise(method, uri, body=raw if seen else None, body_sent=bool(raw))


def test_api_version_below_minimum_is_denied_even_for_admin() -> None:
    d = decide(POLICY, ROOT, req("POST", "/v1.23/containers/x/start", {}), Context())
    assert not d.allow and d.rule == "guard:api-version"
    assert decide(POLICY, ROOT, req("GET", "/_ping"), Context()).allow  # unversioned is fine


def test_unknown_routes_need_the_literal_unknown_action() -> None:
    d = decide(POLICY, ROOT, req("GET", "/v1.41/nothing/here"), Context())
    assert not d.allow and d.rule == "guard:unknown-route"  # "*" does not cover unknown
    eve = Subject(SubjectKind.USER, "eve", uid=1002)
    assert decide(POLICY, eve, req("GET", "/v1.41/nothing/here"), Context()).allow


def test_default_deny_names_the_action_and_roles() -> None:
    d = decide(POLICY, ALICE, req("POST", "/v1.41/images/create?fromImage=x"), Context())
    assert not d.allow and d.rule == "default-deny"
    assert "image.pull" in d.reason and "dev" in d.reason
    nobody = Subject(SubjectKind.ANONYMOUS, "local")
    assert not decide(POLICY, nobody, req("GET", "/_ping"), Context()).allow


def test_constrained_create_allowed_and_denied_by_rule() -> None:
    ok = decide(POLICY, ALICE, req("POST", "/v1.41/containers/create", HARDENED), Context())
    assert ok.allow and ok.rule == "dev/run" and ok.action == "container.create"
    as_root = {**HARDENED, "User": "root"}
    d = decide(POLICY, ALICE, req("POST", "/v1.41/containers/create", as_root), Context())
    assert not d.allow and d.rule == "dev/run" and d.reason.startswith("non_root")
    cert = Subject(SubjectKind.CERT, "dev-cert")
    assert decide(POLICY, cert, req("POST", "/v1.41/containers/create", HARDENED), Context()).allow


def test_a_body_needed_but_not_seen_is_denied() -> None:
    d = decide(
        POLICY, ALICE, req("POST", "/v1.41/containers/create", HARDENED, seen=False), Context()
    )
    assert not d.allow and d.rule == "guard:body-missing"
    # the admin's unrestricted rule needs no body at all
    assert decide(
        POLICY, ROOT, req("POST", "/v1.41/containers/create", HARDENED, seen=False), Context()
    ).allow


@pytest.mark.parametrize(
    "raw",
    [
        b'{"Image":"app","User":"1000","HostConfig":{"Memory":1},"user":"0"}',
        b'{"Image":"app","User":"1000","Ho\xc5\xbftConfig":{"Privileged":true}}',
        b'{"Image":"app","User":"1000","User":"0"}',
        b"not json",
    ],
)
def test_ambiguous_or_broken_bodies_are_denied(raw: bytes) -> None:
    r = normalise("POST", "/v1.41/containers/create", body=raw, body_sent=True)
    d = decide(POLICY, ALICE, r, Context())
    assert not d.allow and d.rule == "guard:body"


def test_owned_scope_needs_a_verified_owner_at_the_proxy() -> None:
    r = req("POST", "/v1.41/containers/c1/start")
    mine = Context(target=TargetFacts(known=True, exists=True, owner="alice"))
    theirs = Context(target=TargetFacts(known=True, exists=True, owner="bob"))
    unknown = Context(target=TargetFacts(known=False))
    plugin = Context(target=TargetFacts(known=True, exists=True, owner="alice"), edge="plugin")
    assert decide(POLICY, ALICE, r, mine).allow
    for ctx in (theirs, unknown, plugin):
        d = decide(POLICY, ALICE, r, ctx)
        assert not d.allow and d.rule == "dev/own" and "scope owned" in d.reason


def test_start_with_a_body_is_judged_like_a_create() -> None:
    r = req("POST", "/v1.41/containers/c1/start", {"HostConfig": {"Privileged": True}})
    mine = Context(target=TargetFacts(known=True, exists=True, owner="alice"))
    d = decide(POLICY, ALICE, r, mine)
    assert not d.allow


def test_grants_are_remembered_per_policy_and_subject_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from seawall.authz import decide as decide_mod

    monkeypatch.setattr(decide_mod, "_MAX_REMEMBERED", 2)
    create = req("POST", "/v1.41/containers/create", HARDENED)
    for pid in range(5):  # uid and pid change per connection; the grant does not
        bob = Subject(SubjectKind.USER, "bob", uid=2000 + pid, pid=pid, groups=frozenset({"devs"}))
        assert decide(POLICY, bob, create, Context()).rule == "dev/run"
    nobody = Subject(SubjectKind.USER, "bob", uid=2000, groups=frozenset({"others"}))
    assert decide(POLICY, nobody, create, Context()).rule == "default-deny"
    for minor in range(20, 30):  # API versions are remembered within the bound too
        d = decide(POLICY, ROOT, req("GET", f"/v1.{minor}/_ping"), Context())
        assert d.allow is (minor >= 24)
    index = decide_mod._index(POLICY)
    assert decide_mod._index(POLICY) is index
    assert len(index._subjects) <= 2 and len(index._below) <= 2


def test_each_policy_object_gets_its_own_index() -> None:
    from seawall.authz import decide as decide_mod

    text = (
        "version: 1\nmin_api_version: '1.41'\nroles: {admin: {rules: [{actions: ['*']}]}}\n"
        "bindings: [{role: admin, users: [root]}]\n"
    )
    stricter, equal = parse_policy(text), parse_policy(text)
    assert stricter == equal
    assert decide_mod._index(stricter) is not decide_mod._index(equal)
    assert decide_mod._index(equal).policy is equal
    assert not decide(stricter, ROOT, req("GET", "/v1.40/_ping"), Context()).allow
    assert decide(stricter, ROOT, req("GET", "/v1.41/_ping"), Context()).allow
    assert decide(POLICY, ROOT, req("GET", "/v1.40/_ping"), Context()).allow


def test_prepare_wraps_the_body_once_for_every_check() -> None:
    from seawall.authz.decide import Prepared, prepare

    prepared = prepare(POLICY, ALICE, req("POST", "/v1.41/containers/create", HARDENED))
    assert isinstance(prepared, Prepared)
    assert prepared.top is not None and prepared.top.obj is prepared.body
