"""``container.exec``: privileged and root execs, and the container's own user."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from tests.authz.cli_bodies import DEVELOPER, exec_body, judge, reason, with_target

PATH = "/containers/web/exec"


def _exec(
    body: dict[str, object], c: Constraints = DEVELOPER, ctx: Context | None = None
) -> str | None:
    return judge("container.exec", body, c, ctx or with_target("1000"), path=PATH)


def test_privileged_exec() -> None:
    assert _exec(exec_body(Privileged=True, User="1000")) == "exec_privileged"
    lower = {k: v for k, v in exec_body(User="1000").items() if k != "Privileged"}
    assert _exec({**lower, "privileged": True}) == "exec_privileged"
    assert (
        _exec(exec_body(Privileged=True, User="1000"), replace(DEVELOPER, exec_privileged=True))
        is None
    )
    assert _exec(exec_body(Privileged=True, User="1000"), replace(DEVELOPER, privileged=True)) == (
        "exec_privileged"
    )


@pytest.mark.parametrize("user", ["0", "root", "0:0", "00", "root:1000"])
def test_root_exec(user: str) -> None:
    assert _exec(exec_body(User=user)) == "non_root"


def test_numeric_user_only() -> None:
    assert _exec(exec_body(User="1000")) is None
    # a name is resolved in the image's /etc/passwd, which may map it to uid 0
    assert _exec(exec_body(User="app")) == "non_root"
    assert _exec(exec_body(), ctx=with_target("app")) == "non_root"


def test_default_user_is_the_container_user() -> None:
    assert _exec(exec_body(), ctx=with_target("1000:1000")) is None
    assert _exec(exec_body(), ctx=with_target("")) == "non_root"
    assert _exec(exec_body(), ctx=with_target(None)) == "non_root"
    assert _exec(exec_body(), ctx=with_target("root")) == "non_root"
    unknown = with_target(None, known=False)
    assert _exec(exec_body(), ctx=unknown) == "non_root"
    assert "docker exec -u UID" in reason("container.exec", exec_body(), DEVELOPER, unknown)
    assert _exec(exec_body(User="1000"), ctx=unknown) is None


def test_root_exec_allowed_without_non_root() -> None:
    assert _exec(exec_body(User="0"), Constraints()) is None
