"""``host_paths`` and ``writable_host_paths`` on one path, through binds and mounts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.constraints.hostpaths import check_host_path, exposes_socket, normal, under
from seawall.authz.model import Context
from tests.authz.cli_bodies import DEVELOPER, judge, resolved, run_body

DATA = replace(DEVELOPER, host_paths=("/srv/data",))
ROOT = replace(DEVELOPER, host_paths=("/",))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/srv/data", "/srv/data"),
        ("/srv/data/", "/srv/data"),
        ("/", "/"),
        ("srv/data", None),
        ("/srv/../etc", None),
        ("/srv/./data", None),
        ("/srv/data/..", None),
        ("//etc", None),
        ("/srv//data", None),
        ("/srv/da\x00ta", None),
        ("", None),
    ],
)
def test_normal(path: str, expected: str | None) -> None:
    assert normal(path) == expected


def test_under_is_component_wise() -> None:
    assert under("/srv/data/x", "/srv/data")
    assert under("/srv/data", "/srv/data/")
    assert not under("/srv/database", "/srv/data")
    assert under("/anything", "/")


def test_socket_parents() -> None:
    sockets = Context().engine_sockets
    for parent in ("/", "/run", "/var", "/var/run", "/var/run/docker.sock", "/run/docker.sock"):
        assert exposes_socket(parent, sockets) is not None
    assert exposes_socket("/run/user", sockets) is None
    assert exposes_socket("/var/lib", sockets) is None


def _bind(path: str) -> dict[str, object]:
    return run_body(Binds=[f"{path}:/data:ro"])


def test_allowed_bind() -> None:
    assert (
        judge("container.create", _bind("/srv/data/app"), DATA, resolved("/srv/data/app")) is None
    )
    assert judge("container.create", _bind("/srv/data/"), DATA, resolved("/srv/data/")) is None


@pytest.mark.parametrize(
    "path",
    [
        "/etc",
        "/srv/database",
        "/srv/data/../../etc",
        "/srv/data/./x",
        "//srv/data",
        "/srv//data",
        "/var/run",
        "/run",
        "/var/run/docker.sock",
    ],
)
def test_refused_binds(path: str) -> None:
    assert judge("container.create", _bind(path), DATA, resolved(path)) == "host_paths"


@pytest.mark.parametrize(
    "path", ["/", "/run", "/var", "/var/run", "/run/docker.sock", "/var/run/docker.sock"]
)
def test_socket_and_parents_are_refused_even_when_everything_is_allowed(path: str) -> None:
    assert judge("container.create", _bind(path), ROOT, resolved(path)) == "host_paths"
    assert judge("container.create", _bind("/etc"), ROOT, resolved("/etc")) is None


def test_unresolved_missing_and_symlinked_paths() -> None:
    body = _bind("/srv/data/app")
    assert judge("container.create", body, DATA, Context()) == "host_paths"
    missing = resolved(missing=("/srv/data/app",))
    assert judge("container.create", body, DATA, missing) == "host_paths"
    link = resolved(links={"/srv/data/app": "/etc"})
    assert judge("container.create", body, DATA, link) == "host_paths"
    # a symlink that stays inside the allowed tree is refused too: the target can change
    inside = resolved(links={"/srv/data/app": "/srv/data/real"})
    assert judge("container.create", body, DATA, inside) == "host_paths"


def test_writable_paths_need_their_own_grant() -> None:
    body = _bind("/srv/data/app")
    context = resolved("/srv/data/app", writable=True)
    assert judge("container.create", body, DATA, context) == "writable_host_paths"
    assert judge("container.create", body, replace(DATA, writable_host_paths=True), context) is None


def test_reasons() -> None:
    context = resolved("/srv/data/app")
    assert check_host_path("/etc/", "Binds[0]", DATA, context) is not None
    found = check_host_path(
        "/srv/data/app", "Binds[0]", DATA, resolved(links={"/srv/data/app": "/etc"})
    )
    assert found is not None
    assert "symlink" in found.reason
    assert "'/etc'" in found.reason
    found = check_host_path("/var/run", "Binds[0]", ROOT, Context())
    assert found is not None
    assert "engine socket /var/run/docker.sock" in found.reason
