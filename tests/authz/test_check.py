"""``check``: the entry points ``decide`` calls, and how the checks are dispatched."""

from __future__ import annotations

import json

import pytest

from seawall.authz.body import ARRAY_BODIES
from seawall.authz.check import (
    BODY_ACTIONS,
    HOST_CHECKS,
    HOST_FIELDS,
    Violation,
    check,
    host_paths,
    needs_body,
)
from seawall.authz.model import ApiRequest, Context, Subject, SubjectKind
from seawall.authz.policy import UNRESTRICTED, Constraints
from seawall.authz.routes import ACTIONS, ROUTES, BodyKind, match
from seawall.authz.spec import Section
from tests.authz.cli_bodies import (
    DEVELOPER,
    judge,
    request,
    run_body,
    service_body,
    volume_body,
)

ALICE = Subject(SubjectKind.USER, "alice", uid=1000)


def test_body_actions_are_json_routes() -> None:
    json_actions = {r.action for r in ROUTES if r.body is BodyKind.JSON}
    assert json_actions >= BODY_ACTIONS
    assert set(ARRAY_BODIES) <= BODY_ACTIONS
    assert BODY_ACTIONS <= ACTIONS


def test_the_routes_give_the_actions_check_knows() -> None:
    cases = {
        ("POST", "/containers/create", ()): "container.create",
        ("POST", "/containers/web/update", ()): "container.update",
        ("POST", "/containers/web/exec", ()): "container.exec",
        ("POST", "/plugins/pull", ()): "plugin.install",
        ("POST", "/images/create", (("fromImage", "x"),)): "image.pull",
        ("POST", "/images/create", (("fromSrc", "-"),)): "image.import",
        ("POST", "/images/127.0.0.1:5000/app/push", ()): "image.push",
        ("POST", "/images/app/tag", ()): "image.tag",
        ("POST", "/build", (("version", "2"),)): "image.build.buildkit",
        ("POST", "/commit", ()): "image.commit",
    }
    for (method, path, query), action in cases.items():
        found = match(method, path, dict(query))
        assert found is not None
        assert found.action == action


@pytest.mark.parametrize(
    ("action", "body", "sent", "expected"),
    [
        ("container.create", b"{}", True, True),
        ("container.create", b"", False, True),
        ("container.start", b"", False, False),
        ("container.start", b"{}", True, True),
        ("container.start", None, True, True),
        ("container.exec", b"{}", True, True),
        ("plugin.install", b"[]", True, True),
        ("image.pull", b"", False, False),
        ("image.load", None, True, False),
        ("swarm.join", b"{}", True, False),
        ("container.archive.put", None, True, False),
    ],
)
def test_needs_body(action: str, body: bytes | None, sent: bool, expected: bool) -> None:
    assert needs_body(action, ApiRequest("POST", "/x", "1.41", {}, body, sent)) is expected


def test_host_paths_lists_every_host_path_once() -> None:
    body = run_body(
        Binds=["/srv/a:/a", "named:/n", "/srv/a:/again", "/target-only"],
        Mounts=[
            {"Type": "bind", "Source": "/srv/b", "Target": "/b"},
            {"Type": "volume", "Source": "v", "Target": "/v"},
            {
                "Type": "volume",
                "Target": "/c",
                "VolumeOptions": {
                    "DriverConfig": {"Options": {"type": "none", "o": "bind", "device": "/srv/c"}}
                },
            },
            {"Type": "tmpfs", "Target": "/t"},
        ],
    )
    body["Binds"] = ["/top:/top"]
    assert host_paths("container.create", body) == ("/srv/a", "/srv/b", "/srv/c", "/top")
    assert host_paths("container.start", {"Binds": ["/x/../etc:/h"]}) == ("/x/../etc",)
    service = service_body(Mounts=[{"Type": "bind", "Source": "/srv/s", "Target": "/s"}])
    assert host_paths("service.update", service) == ("/srv/s",)
    volume = volume_body(DriverOpts={"type": "none", "o": "bind", "device": "/etc"})
    assert host_paths("volume.create", volume) == ("/etc",)
    assert host_paths("volume.create", volume_body(DriverOpts={"device": "etc"})) == ()
    assert host_paths("container.exec", {"User": "0"}) == ()
    assert host_paths("container.create", None) == ()
    assert host_paths("container.create", {"HostConfig": {"Binds": "/etc:/h"}}) == ()


def test_unrestricted_skips_everything() -> None:
    body = run_body(Privileged=True, Binds=["/:/host"])
    assert judge("container.create", body, UNRESTRICTED) is None


def test_actions_without_constraints_are_allowed() -> None:
    assert judge("container.list", None, DEVELOPER, path="/containers/json") is None
    assert judge("swarm.join", {"RemoteAddrs": ["10.0.0.1"]}, DEVELOPER, path="/swarm/join") is None


def test_a_needed_body_that_was_not_parsed_is_refused() -> None:
    found = check(
        "container.create", request("/containers/create"), None, DEVELOPER, Context(), ALICE
    )
    assert found == Violation(
        "body", "container.create needs its request body, which was not parsed"
    )
    start = ApiRequest("POST", "/containers/x/start", "1.41", {}, None, True)
    assert check("container.start", start, None, DEVELOPER, Context(), ALICE) is not None
    no_body = ApiRequest("POST", "/containers/x/start", "1.41", {}, b"", False)
    assert check("container.start", no_body, None, DEVELOPER, Context(), ALICE) is None


def test_wrong_types_are_body_violations_naming_the_field() -> None:
    raw = json.dumps(run_body(PidsLimit="100")).encode()
    found = check(
        "container.create",
        request("/containers/create", None, raw),
        json.loads(raw),
        DEVELOPER,
        Context(),
        ALICE,
    )
    assert found == Violation("body", "HostConfig.PidsLimit: expected an integer")


def test_first_violation_wins_in_a_stable_order() -> None:
    body = run_body(Privileged=True, CapAdd=["ALL"])
    body["User"] = "root"
    assert judge("container.create", body) == "privileged"
    assert judge("container.create", {**run_body(), "User": "root", "Image": "evil"}) == (
        "registries"
    )


def test_secrets_never_appear_in_reasons() -> None:
    body = {**run_body(), "User": "root"}
    raw = json.dumps(body).encode()
    found = check(
        "container.create",
        request("/containers/create", None, raw),
        body,
        DEVELOPER,
        Context(),
        ALICE,
    )
    assert found is not None
    assert "hunter2" not in found.reason
    settings = ["PASSWORD=hunter2"]
    found = check(
        "plugin.set",
        request("/plugins/p/set", None, json.dumps(settings).encode()),
        {"Settings": settings},
        Constraints(),
        Context(),
        ALICE,
    )
    assert found is not None
    assert "hunter2" not in found.reason
    assert "PASSWORD" in found.reason


class _Spy(dict[str, object]):
    """A JSON object that records which fields a check asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: object = None) -> object:
        self.asked.add(key.lower())
        return super().get(key, default)


def test_host_fields_lists_every_field_the_host_checks_read() -> None:
    # check() skips a section with none of HOST_FIELDS: that is exact only if the list is
    for run in HOST_CHECKS:
        spy = _Spy()
        assert run(Section.of(spy, "HostConfig"), Constraints(), Context()) is None
        assert spy.asked
        assert spy.asked <= HOST_FIELDS, run.__module__


def test_a_shared_section_gives_the_same_answers() -> None:
    body = run_body(Binds=["/srv/a:/a"], Privileged=True)
    top = Section.of(body)
    assert host_paths("container.create", body, top=top) == host_paths("container.create", body)
    req = request("/containers/create")
    alone = check("container.create", req, body, DEVELOPER, Context(), ALICE)
    shared = check("container.create", req, body, DEVELOPER, Context(), ALICE, top=top)
    assert alone == shared and shared is not None and shared.key == "privileged"
    # a section of another body is not used for this one
    other = Section.of(run_body())
    assert check("container.create", req, body, DEVELOPER, Context(), ALICE, top=other) == alone
