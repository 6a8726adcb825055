"""``registries`` on every request that names an image, with the corpus spellings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.policy import Constraints
from tests.authz.cli_bodies import DEVELOPER, judge, run_body, service_body

DENIED = [
    "localhost:5001/app",
    "127.0.0.1:5001/app",
    "localhost:5000/app",
    "LOCALHOST:5001/app",
    "127.0.0.1:5000/App",
    "busybox",
    "docker.io/library/busybox",
    "index.docker.io/busybox",
    "registry-1.docker.io/library/busybox",
    "sha256:" + "a" * 64,
    "a" * 64,
    "3f57d9401f8d",
    "",
]
ALLOWED = ["127.0.0.1:5000/app", "127.0.0.1:5000/app:1", "127.0.0.1:5000/app@sha256:" + "b" * 64]


@pytest.mark.parametrize("ref", DENIED)
def test_denied_references_everywhere(ref: str) -> None:
    assert judge("container.create", {**run_body(), "Image": ref}) == "registries"
    assert judge("service.create", service_body(Image=ref)) == "registries"
    assert judge("image.pull", None, path="/images/create", query={"fromImage": ref}) == (
        "registries"
    )


@pytest.mark.parametrize("ref", ALLOWED)
def test_allowed_references_everywhere(ref: str) -> None:
    assert judge("container.create", {**run_body(), "Image": ref}) is None
    assert judge("service.create", service_body(Image=ref)) is None
    assert judge("image.pull", None, path="/images/create", query={"fromImage": ref}) is None


def test_push_tag_commit_import() -> None:
    c = DEVELOPER
    assert judge("image.push", None, c, path="/images/127.0.0.1:5000/app/push") is None
    assert judge("image.push", None, c, path="/images/localhost:5001/app/push") == "registries"
    assert judge("image.push", None, c, path="/images/app/push") == "registries"
    tag = "/images/127.0.0.1:5000/app:1/tag"
    assert judge("image.tag", None, c, path=tag, query={"repo": "127.0.0.1:5000/app"}) is None
    assert judge("image.tag", None, c, path=tag, query={"repo": "localhost:5001/x"}) == (
        "registries"
    )
    launder = "/images/localhost:5001/evil/tag"
    assert judge("image.tag", None, c, path=launder, query={"repo": "127.0.0.1:5000/x"}) == (
        "registries"
    )
    by_id = "/images/" + "c" * 64 + "/tag"
    assert judge("image.tag", None, c, path=by_id, query={"repo": "127.0.0.1:5000/x"}) == (
        "registries"
    )
    assert judge("image.commit", None, c, path="/commit", query={"container": "x"}) is None
    assert judge("image.commit", None, c, path="/commit", query={"repo": "evil/x"}) == (
        "registries"
    )
    query = {"fromSrc": "-", "repo": "evil/x"}
    assert judge("image.import", None, c, path="/images/create", query=query) == "registries"


def test_any_registry_when_not_constrained() -> None:
    anything = replace(DEVELOPER, registries=None)
    assert judge("container.create", {**run_body(), "Image": "a" * 64}, anything) is None
    assert (
        judge("image.pull", None, Constraints(), path="/images/create", query={"fromImage": "x"})
        is None
    )
