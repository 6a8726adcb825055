"""The bypass corpus of issue 4, one JSON file per case, run through the real request path.

Each file in ``corpus/`` holds:

- ``description``: what a caller would type, or the trick;
- ``action``, ``method``, ``uri``: the request (the uri as sent, with its version prefix; it is
  normalised by ``seawall.authz.request.normalise`` and must route to ``action``);
- ``body`` (JSON text, kept verbatim so duplicate keys and odd spellings survive) or
  ``body_base64`` (for bytes that are not UTF-8);
- ``constraints``: overrides of the developer role's container rule (``DEVELOPER``), with
  lists for sets; ``registries: null`` means any registry;
- ``context``: ``paths`` (host path -> ``realpath``, ``symlinked``, ``writable``) and
  ``target`` (``known``, ``user``) as the edge would gather them;
- ``expect``: the ``Constraints`` key that must deny it, ``body`` for a body refused by the
  parser or the field types, or ``null`` for a near miss that must be allowed.
"""

from __future__ import annotations

import base64
import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from seawall.authz.body import BodyError, parse_request_body
from seawall.authz.check import check, host_paths, needs_body
from seawall.authz.model import Context, PathFacts, Subject, SubjectKind, TargetFacts
from seawall.authz.policy import Constraints
from seawall.authz.request import normalise
from seawall.authz.routes import match
from tests.authz.cli_bodies import DEVELOPER

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*.json"))
ALICE = Subject(SubjectKind.USER, "alice", uid=1000, gid=1000)
_KEYS = {f.name for f in fields(Constraints)} | {"body"}


def _constraints(overrides: dict[str, Any]) -> Constraints:
    values: dict[str, Any] = {}
    for f in fields(Constraints):
        if f.name not in overrides:
            continue
        raw = overrides[f.name]
        kind = type(getattr(DEVELOPER, f.name))
        values[f.name] = frozenset(raw) if kind is frozenset else raw
        if f.name in ("host_paths", "sysctls", "registries") and raw is not None:
            values[f.name] = tuple(raw)
    assert set(overrides) <= set(values), f"unknown constraint keys {set(overrides) - set(values)}"
    return replace(DEVELOPER, **values)


def _context(spec: dict[str, Any]) -> Context:
    paths = {
        path: PathFacts(
            path,
            facts.get("realpath"),
            symlinked=facts.get("symlinked", False),
            writable_by_subject=facts.get("writable", False),
        )
        for path, facts in spec.get("paths", {}).items()
    }
    target = spec.get("target", {})
    return Context(
        target=TargetFacts(known=target.get("known", False), user=target.get("user")),
        paths=paths,
    )


def _body(case: dict[str, Any]) -> bytes:
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"])
    return str(case.get("body", "")).encode("utf-8", "surrogatepass")


def _judge(case: dict[str, Any]) -> tuple[str | None, str]:
    raw = _body(case)
    request = normalise(case["method"], case["uri"], body=raw, body_sent=bool(raw))
    route = match(request.method, request.path, request.query)
    assert route is not None, "the uri must be an Engine API route"
    assert route.action == case["action"], f"routes to {route.action}"
    body = None
    if needs_body(case["action"], request):
        try:
            body = parse_request_body(case["action"], request.body or b"")
        except BodyError as exc:
            return "body", str(exc)
    context = _context(case.get("context", {}))
    for path in host_paths(case["action"], body):
        assert path.startswith("/") or path in context.paths
    found = check(case["action"], request, body, _constraints(case["constraints"]), context, ALICE)
    return (None, "") if found is None else (found.key, found.reason)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_corpus_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["expect"] is None or case["expect"] in _KEYS
    key, reason = _judge(case)
    assert key == case["expect"], f"{case['description']}: got {key} ({reason})"
    assert "\n" not in reason
    assert "hunter2" not in reason  # the Env value of every docker run body


def test_the_corpus_covers_the_issue() -> None:
    names = {p.stem for p in CASES}
    assert len(names) >= 100
    expected_prefixes = [
        "case-",
        "fold-",
        "duplicate-",
        "top-level-",
        "binds-",
        "mounts-",
        "volumes-from",
        "named-volume",
        "inline-bind-volume",
        "volume-create-bind-trick",
        "symlinked-",
        "dotdot-",
        "socket-parent-",
        "url-",
        "old-start-",
        "update-",
        "exec-privileged",
        "exec-root",
        "device-cgroup-rules",
        "plugin-install-privileges",
        "service-host-mount",
        "image-ref-uppercase",
        "image-ref-digest",
        "image-ref-port",
        "image-ref-docker-io-library",
        "pull-fromimage-twice",
        "near-miss-",
    ]
    for prefix in expected_prefixes:
        assert any(n.startswith(prefix) for n in names), prefix
    denied = [p for p in CASES if json.loads(p.read_text(encoding="utf-8"))["expect"]]
    assert len(denied) >= 90
