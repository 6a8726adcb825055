"""``non_root`` on creates and services, and the root spellings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.constraints.user import is_root
from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body, service_body

ROOTS = ["", "0", "root", "0:0", "root:x", "0:123", "00", "+0", "-0", "-1", ":1000", "root:root"]
USERS = ["1000", "1000:1000", "65534", "10", "1000:0"]
#: Names are resolved in the image's /etc/passwd, which may map them to uid 0.
NAMES = ["app", "app:app", "nobody", "0app", "daemon:1000"]


@pytest.mark.parametrize("user", ROOTS)
def test_root_spellings(user: str) -> None:
    assert is_root(user)
    assert judge("container.create", {**run_body(), "User": user}) == "non_root"
    assert judge("service.create", service_body(User=user)) == "non_root"


@pytest.mark.parametrize("user", USERS)
def test_non_root_users(user: str) -> None:
    assert not is_root(user)
    assert judge("container.create", {**run_body(), "User": user}) is None
    assert judge("service.create", service_body(User=user)) is None


@pytest.mark.parametrize("user", NAMES)
def test_user_names_are_refused_because_the_image_resolves_them(user: str) -> None:
    assert not is_root(user)
    assert judge("container.create", {**run_body(), "User": user}) == "non_root"
    assert judge("service.create", service_body(User=user)) == "non_root"
    assert "numeric uid" in reason("container.create", {**run_body(), "User": user})


def test_only_when_required() -> None:
    relaxed = replace(DEVELOPER, non_root=False)
    assert judge("container.create", {**run_body(), "User": "root"}, relaxed) is None


def test_reasons() -> None:
    assert "image's default user" in reason("container.create", {**run_body(), "User": ""})
    assert (
        reason("container.create", {**run_body(), "User": "0:0"}) == "User is '0:0', which is root"
    )
