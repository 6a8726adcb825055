"""Tests for the Engine API route table: every route, wrong methods, gorilla's greedy names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seawall.authz.model import ResourceKind
from seawall.authz.request import normalise
from seawall.authz.routes import (
    ACTIONS,
    ROUTES,
    BodyKind,
    Route,
    RouteMatch,
    actions_markdown,
    match,
    template_regex,
)

Q = Mapping[str, str]
NO: Q = {}

# One example request per route (method, normalised path without version, query, action,
# ident). Checked against the real dockerd 20.10 while writing the table: each of these paths
# is served (not "page not found"), except PUT /volumes/{name}, added in API 1.42.
EXAMPLES: list[tuple[str, str, Q, str, str | None]] = [
    # checkpoint router (experimental)
    ("GET", "/containers/web/checkpoints", NO, "container.checkpoint.list", "web"),
    ("POST", "/containers/web/checkpoints", NO, "container.checkpoint.create", "web"),
    ("DELETE", "/containers/web/checkpoints/cp1", NO, "container.checkpoint.delete", "web"),
    # container router
    ("HEAD", "/containers/web/archive", {"path": "/etc"}, "container.archive.head", "web"),
    ("GET", "/containers/json", {"all": "1"}, "container.list", None),
    ("GET", "/containers/web/export", NO, "container.export", "web"),
    ("GET", "/containers/web/changes", NO, "container.changes", "web"),
    ("GET", "/containers/web/json", NO, "container.inspect", "web"),
    ("GET", "/containers/web/top", NO, "container.top", "web"),
    ("GET", "/containers/web/logs", {"stdout": "1"}, "container.logs", "web"),
    ("GET", "/containers/web/stats", NO, "container.stats", "web"),
    ("GET", "/containers/web/attach/ws", NO, "container.attach.ws", "web"),
    ("GET", "/exec/e1/json", NO, "exec.inspect", "e1"),
    ("GET", "/containers/web/archive", {"path": "/"}, "container.archive.get", "web"),
    ("POST", "/containers/create", {"name": "web"}, "container.create", None),
    ("POST", "/containers/web/kill", NO, "container.kill", "web"),
    ("POST", "/containers/web/pause", NO, "container.pause", "web"),
    ("POST", "/containers/web/unpause", NO, "container.unpause", "web"),
    ("POST", "/containers/web/restart", NO, "container.restart", "web"),
    ("POST", "/containers/web/start", NO, "container.start", "web"),
    ("POST", "/containers/web/stop", NO, "container.stop", "web"),
    ("POST", "/containers/web/wait", NO, "container.wait", "web"),
    ("POST", "/containers/web/resize", NO, "container.resize", "web"),
    ("POST", "/containers/web/attach", NO, "container.attach", "web"),
    ("POST", "/containers/web/copy", NO, "container.copy", "web"),
    ("POST", "/containers/web/exec", NO, "container.exec", "web"),
    ("POST", "/exec/e1/start", NO, "exec.start", "e1"),
    ("POST", "/exec/e1/resize", NO, "exec.resize", "e1"),
    ("POST", "/containers/web/rename", {"name": "x"}, "container.rename", "web"),
    ("POST", "/containers/web/update", NO, "container.update", "web"),
    ("POST", "/containers/prune", NO, "container.prune", None),
    ("PUT", "/containers/web/archive", {"path": "/tmp"}, "container.archive.put", "web"),
    ("DELETE", "/containers/web", NO, "container.delete", "web"),
    # image router
    ("GET", "/images/json", NO, "image.list", None),
    ("GET", "/images/search", {"term": "x"}, "image.search", None),
    ("GET", "/images/get", {"names": "a"}, "image.save", None),
    ("GET", "/images/alpine:3/get", NO, "image.save", "alpine:3"),
    ("GET", "/images/alpine:3/history", NO, "image.history", "alpine:3"),
    ("GET", "/images/alpine:3/json", NO, "image.inspect", "alpine:3"),
    ("POST", "/commit", {"container": "web", "repo": "x"}, "image.commit", "web"),
    ("POST", "/images/load", NO, "image.load", None),
    ("POST", "/images/create", {"fromImage": "alpine"}, "image.pull", "alpine"),
    ("POST", "/images/create", {"fromSrc": "-"}, "image.import", None),
    ("POST", "/images/127.0.0.1:5000/app/push", NO, "image.push", "127.0.0.1:5000/app"),
    ("POST", "/images/app/tag", {"repo": "x"}, "image.tag", "app"),
    ("POST", "/images/prune", NO, "image.prune", None),
    ("DELETE", "/images/app:1", NO, "image.delete", "app:1"),
    # system router
    ("OPTIONS", "/containers/json", NO, "system.options", None),
    ("GET", "/_ping", NO, "system.ping", None),
    ("HEAD", "/_ping", NO, "system.ping", None),
    ("GET", "/events", NO, "system.events", None),
    ("GET", "/info", NO, "system.info", None),
    ("GET", "/version", NO, "system.version", None),
    ("GET", "/system/df", NO, "system.df", None),
    ("POST", "/auth", NO, "system.auth", None),
    # volume router
    ("GET", "/volumes", NO, "volume.list", None),
    ("GET", "/volumes/data", NO, "volume.inspect", "data"),
    ("POST", "/volumes/create", NO, "volume.create", None),
    ("POST", "/volumes/prune", NO, "volume.prune", None),
    ("PUT", "/volumes/data", {"version": "3"}, "volume.update", "data"),
    ("DELETE", "/volumes/data", NO, "volume.delete", "data"),
    # build router
    ("POST", "/build", {"version": "2", "session": "s"}, "image.build.buildkit", None),
    ("POST", "/build", {"t": "app"}, "image.build", None),
    ("POST", "/build/prune", NO, "image.build.prune", None),
    ("POST", "/build/cancel", {"id": "b1"}, "image.build.cancel", None),
    # session router
    ("POST", "/session", NO, "session.start", None),
    # swarm router
    ("POST", "/swarm/init", NO, "swarm.init", None),
    ("POST", "/swarm/join", NO, "swarm.join", None),
    ("POST", "/swarm/leave", NO, "swarm.leave", None),
    ("GET", "/swarm", NO, "swarm.inspect", None),
    ("GET", "/swarm/unlockkey", NO, "swarm.unlockkey", None),
    ("POST", "/swarm/update", NO, "swarm.update", None),
    ("POST", "/swarm/unlock", NO, "swarm.unlock", None),
    ("GET", "/services", NO, "service.list", None),
    ("GET", "/services/s1", NO, "service.inspect", "s1"),
    ("POST", "/services/create", NO, "service.create", None),
    ("POST", "/services/s1/update", {"version": "5"}, "service.update", "s1"),
    ("DELETE", "/services/s1", NO, "service.delete", "s1"),
    ("GET", "/services/s1/logs", NO, "service.logs", "s1"),
    ("GET", "/nodes", NO, "node.list", None),
    ("GET", "/nodes/n1", NO, "node.inspect", "n1"),
    ("DELETE", "/nodes/n1", NO, "node.delete", "n1"),
    ("POST", "/nodes/n1/update", NO, "node.update", "n1"),
    ("GET", "/tasks", NO, "task.list", None),
    ("GET", "/tasks/t1", NO, "task.inspect", "t1"),
    ("GET", "/tasks/t1/logs", NO, "task.logs", "t1"),
    ("GET", "/secrets", NO, "secret.list", None),
    ("POST", "/secrets/create", NO, "secret.create", None),
    ("DELETE", "/secrets/k1", NO, "secret.delete", "k1"),
    ("GET", "/secrets/k1", NO, "secret.inspect", "k1"),
    ("POST", "/secrets/k1/update", NO, "secret.update", "k1"),
    ("GET", "/configs", NO, "config.list", None),
    ("POST", "/configs/create", NO, "config.create", None),
    ("DELETE", "/configs/c1", NO, "config.delete", "c1"),
    ("GET", "/configs/c1", NO, "config.inspect", "c1"),
    ("POST", "/configs/c1/update", NO, "config.update", "c1"),
    # plugin router
    ("GET", "/plugins", NO, "plugin.list", None),
    ("GET", "/plugins/vieux/sshfs:latest/json", NO, "plugin.inspect", "vieux/sshfs:latest"),
    ("GET", "/plugins/privileges", {"remote": "vieux/sshfs"}, "plugin.privileges", "vieux/sshfs"),
    ("DELETE", "/plugins/vieux/sshfs", NO, "plugin.delete", "vieux/sshfs"),
    ("POST", "/plugins/vieux/sshfs/enable", NO, "plugin.enable", "vieux/sshfs"),
    ("POST", "/plugins/vieux/sshfs/disable", NO, "plugin.disable", "vieux/sshfs"),
    ("POST", "/plugins/pull", {"remote": "vieux/sshfs"}, "plugin.install", "vieux/sshfs"),
    ("POST", "/plugins/vieux/sshfs/push", NO, "plugin.push", "vieux/sshfs"),
    ("POST", "/plugins/vieux/sshfs/upgrade", NO, "plugin.upgrade", "vieux/sshfs"),
    ("POST", "/plugins/vieux/sshfs/set", NO, "plugin.set", "vieux/sshfs"),
    ("POST", "/plugins/create", {"name": "p"}, "plugin.create", None),
    # distribution router
    ("GET", "/distribution/docker.io/library/alpine:3/json", NO, "distribution.inspect",
     "docker.io/library/alpine:3"),
    # grpc router
    ("POST", "/grpc", NO, "session.grpc", None),
    # network router
    ("GET", "/networks", NO, "network.list", None),
    ("GET", "/networks/net1", NO, "network.inspect", "net1"),
    ("POST", "/networks/create", NO, "network.create", None),
    ("POST", "/networks/net1/connect", NO, "network.connect", "net1"),
    ("POST", "/networks/net1/disconnect", NO, "network.disconnect", "net1"),
    ("POST", "/networks/prune", NO, "network.prune", None),
    ("DELETE", "/networks/net1", NO, "network.delete", "net1"),
    # debug handlers, any method
    ("GET", "/debug/vars", NO, "system.debug", None),
    ("GET", "/debug/pprof", NO, "system.debug", None),
    ("GET", "/debug/pprof/cmdline", NO, "system.debug", None),
    ("POST", "/debug/pprof/profile", NO, "system.debug", None),
    ("GET", "/debug/pprof/symbol", NO, "system.debug", None),
    ("GET", "/debug/pprof/trace", NO, "system.debug", None),
    ("GET", "/debug/pprof/heap", NO, "system.debug", "heap"),
]  # fmt: skip


def _match(method: str, path: str, query: Q = NO) -> RouteMatch | None:
    return match(method, path, query)


@pytest.mark.parametrize(("method", "path", "query", "action", "ident"), EXAMPLES)
def test_every_example(method: str, path: str, query: Q, action: str, ident: str | None) -> None:
    found = _match(method, path, query)
    assert found is not None, f"{method} {path} matched nothing"
    assert (found.action, found.ident) == (action, ident)
    assert found.action == found.route.action
    assert found.kind == found.route.kind


def test_every_route_has_an_example() -> None:
    assert len(set(ROUTES)) == len(ROUTES)
    seen = {m.route for m in (_match(e[0], e[1], e[2]) for e in EXAMPLES) if m is not None}
    missing = [f"{r.method} {r.pattern} ({r.action})" for r in ROUTES if r not in seen]
    assert not missing


def test_the_table_covers_the_actions_the_issue_names() -> None:
    named = {
        "system.ping system.info system.version system.events system.df system.auth",
        "container.list container.create container.inspect container.top container.logs",
        "container.changes container.export container.stats container.resize container.start",
        "container.stop container.restart container.kill container.update container.rename",
        "container.pause container.unpause container.attach container.attach.ws",
        "container.wait container.delete container.archive.head container.archive.get",
        "container.archive.put container.exec container.prune exec.start exec.resize",
        "exec.inspect image.list image.build image.build.buildkit image.build.prune",
        "image.build.cancel image.pull image.import image.inspect image.history image.push",
        "image.tag image.delete image.search image.prune image.commit image.save image.load",
        "volume.list volume.create volume.inspect volume.update volume.delete volume.prune",
        "network.list network.inspect network.create network.connect network.disconnect",
        "network.delete network.prune plugin.list plugin.privileges plugin.install",
        "plugin.inspect plugin.delete plugin.enable plugin.disable plugin.upgrade",
        "plugin.push plugin.set plugin.create swarm.inspect swarm.init swarm.join",
        "swarm.leave swarm.update swarm.unlockkey swarm.unlock node.list node.inspect",
        "node.delete node.update service.list service.inspect service.create",
        "service.update service.delete service.logs task.list task.inspect task.logs",
        "secret.list secret.create secret.inspect secret.update secret.delete config.list",
        "config.create config.inspect config.update config.delete distribution.inspect",
        "session.start session.grpc",
    }
    wanted = {a for line in named for a in line.split()}
    assert wanted <= ACTIONS
    extra = ACTIONS - wanted
    assert extra == {
        "container.checkpoint.list",
        "container.checkpoint.create",
        "container.checkpoint.delete",
        "container.copy",
        "system.options",
        "system.debug",
    }
    assert "unknown" not in ACTIONS


def test_table_invariants() -> None:
    for r in ROUTES:
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)+", r.action), r.action
        assert r.pattern.startswith("/") and r.description.endswith(".")
        assert r.method in {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "*"}
        prefix = r.action.partition(".")[0]
        if r.action != "image.commit":  # targets the container named by ?container=
            assert r.kind is not None and prefix == r.kind.value, r.action
        if r.method in {"GET", "HEAD", "OPTIONS", "*"}:
            assert r.body is BodyKind.NONE
            assert r.readonly or r.action == "container.attach.ws"
        if r.sensitive:
            assert r.readonly
    assert {r.action for r in ROUTES if r.body is BodyKind.OPAQUE} == {
        "container.archive.put",
        "image.load",
        "image.import",
        "image.build",
        "image.build.buildkit",
        "plugin.create",
        "session.start",
        "session.grpc",
    }


# -- wrong methods --------------------------------------------------------------------------

WRONG_METHODS = [
    ("POST", "/containers/json"),
    ("HEAD", "/containers/json"),  # gorilla serves HEAD only where it is registered
    ("GET", "/containers/create"),
    ("GET", "/containers/web/start"),
    ("PUT", "/containers/web/start"),
    ("HEAD", "/containers/web/json"),
    ("POST", "/containers/web/json"),
    ("POST", "/containers/web/logs"),
    ("PATCH", "/containers/web"),
    ("POST", "/containers/web/attach/ws"),
    ("GET", "/exec/e1/start"),
    ("POST", "/exec/e1/json"),
    ("DELETE", "/exec/e1"),
    ("POST", "/images/json"),
    ("POST", "/images/app/json"),
    ("GET", "/images/load"),
    ("GET", "/images/create"),
    ("GET", "/commit"),
    ("POST", "/_ping"),
    ("PUT", "/_ping"),
    ("POST", "/info"),
    ("GET", "/auth"),
    ("POST", "/volumes"),
    ("GET", "/build"),
    ("HEAD", "/build"),
    ("GET", "/session"),
    ("GET", "/grpc"),
    ("DELETE", "/swarm"),
    ("POST", "/swarm"),
    ("GET", "/swarm/init"),
    ("PUT", "/services/s1"),
    ("GET", "/services/s1/update"),
    ("POST", "/nodes/n1"),
    ("DELETE", "/tasks/t1"),
    ("PUT", "/secrets/k1"),
    ("GET", "/plugins/pull"),
    ("POST", "/plugins/p/json"),
    ("POST", "/distribution/alpine/json"),
    ("PUT", "/networks/net1"),
]


@pytest.mark.parametrize(("method", "path"), WRONG_METHODS)
def test_wrong_methods_match_nothing(method: str, path: str) -> None:
    assert _match(method, path) is None


@pytest.mark.parametrize(("method", "path", "query", "action", "ident"), EXAMPLES)
def test_other_methods_never_borrow_a_route(
    method: str, path: str, query: Q, action: str, ident: str | None
) -> None:
    for other in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        found = _match(other, path, query)
        if found is not None:
            assert found.route.method in (other, "*")


# -- the tricky ones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "action", "ident"),
    [
        # a container named "json" (gorilla tries /containers/json first, then the template)
        ("GET", "/containers/json", "container.list", None),
        ("GET", "/containers/json/json", "container.inspect", "json"),
        ("DELETE", "/containers/json", "container.delete", "json"),
        ("POST", "/containers/create/start", "container.start", "create"),
        ("POST", "/containers/prune/kill", "container.kill", "prune"),
        # greedy {name:.*}: the literal suffix is the last one
        ("GET", "/containers/a/json/json", "container.inspect", "a/json"),
        ("POST", "/containers/a/start/start", "container.start", "a/start"),
        ("GET", "/containers/web/logs/top", "container.top", "web/logs"),
        # image names with registries, ports, paths, tags and digests
        ("GET", "/images/127.0.0.1:5000/a/b:tag/json", "image.inspect", "127.0.0.1:5000/a/b:tag"),
        ("GET", "/images/json/json", "image.inspect", "json"),
        ("GET", "/images/a/get/json", "image.inspect", "a/get"),
        ("GET", "/images/a/json/get", "image.save", "a/json"),
        ("GET", "/images/localhost:5001/x/history", "image.history", "localhost:5001/x"),
        (
            "DELETE",
            "/images/registry.example.com:443/team/app@sha256:"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "image.delete",
            "registry.example.com:443/team/app@sha256:"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
        ("DELETE", "/images/a/b/c", "image.delete", "a/b/c"),
        ("POST", "/images/docker.io/library/alpine:3/push", "image.push",
         "docker.io/library/alpine:3"),
        ("POST", "/images/create/push", "image.push", "create"),
        # HEAD and GET of the same archive path are different actions
        ("HEAD", "/containers/web/archive", "container.archive.head", "web"),
        ("GET", "/containers/web/archive", "container.archive.get", "web"),
        ("PUT", "/containers/web/archive", "container.archive.put", "web"),
        # the checkpoint router's DELETE ({name} is one segment) comes before the container's
        ("DELETE", "/containers/a/checkpoints/c", "container.checkpoint.delete", "a"),
        ("DELETE", "/containers/a/b/checkpoints/c", "container.delete", "a/b/checkpoints/c"),
        # the engine's catch-alls take what no other route of that method does
        ("DELETE", "/containers/web/archive/x", "container.delete", "web/archive/x"),
        ("GET", "/networks/net1/connect/x", "network.inspect", "net1/connect/x"),
        ("GET", "/containers/a/b/checkpoints", "container.checkpoint.list", "a/b"),
        # swarm {id} is one segment; networks take anything
        ("GET", "/networks/a/b", "network.inspect", "a/b"),
        ("GET", "/plugins/privileges/json", "plugin.inspect", "privileges"),
        ("GET", "/volumes/create", "volume.inspect", "create"),
        ("GET", "/volumes/a/b", "volume.inspect", "a/b"),
        # OPTIONS answers anywhere, before the any-method debug handlers
        ("OPTIONS", "/", "system.options", None),
        ("OPTIONS", "/debug/vars", "system.options", None),
        ("DELETE", "/debug/vars", "system.debug", None),
    ],
)  # fmt: skip
def test_tricky_paths(method: str, path: str, action: str, ident: str | None) -> None:
    found = _match(method, path)
    assert found is not None
    assert (found.action, found.ident) == (action, ident)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/services/a/b"),
        ("GET", "/secrets/a/b"),
        ("DELETE", "/nodes/a/b"),
        ("POST", "/services/a/b/update"),
        ("GET", "/Containers/json"),  # case-sensitive, like the engine
        ("GET", "/containers/JSON"),
        ("GET", "/containers/web/JSON"),
        ("GET", "/_PING"),
        ("GET", "/"),
        ("GET", "/containers"),
        ("GET", "/images"),
        ("GET", "/v1.41/_ping"),  # the version prefix is split off by the normaliser first
        ("GET", "/debugx/vars"),
        ("GET", "/networks/"),
    ],
)
def test_unknown_paths(method: str, path: str) -> None:
    assert _match(method, path) is None


def test_checkpoint_params() -> None:
    found = _match("DELETE", "/containers/web/checkpoints/cp1")
    assert found is not None
    assert dict(found.params) == {"name": "web", "checkpoint": "cp1"}
    with pytest.raises(TypeError):
        found.params["name"] = "x"  # type: ignore[index]


def _through_normalise(uri: str, method: str = "POST") -> RouteMatch | None:
    req = normalise(method, uri, body=b"", body_sent=False)
    return match(req.method, req.path, req.query)


@pytest.mark.parametrize(
    ("uri", "action", "ident"),
    [
        ("/v1.41/images/create?fromImage=alpine&tag=3", "image.pull", "alpine"),
        # the engine reads the first fromImage: an empty first value is an import
        ("/v1.41/images/create?fromImage=&fromImage=evil.example/x", "image.import", None),
        ("/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fapp&fromImage=evil", "image.pull",
         "127.0.0.1:5000/app"),
        ("/v1.41/images/create?fromimage=evil&fromSrc=-", "image.import", None),
        ("/v1.41/images/create?fromSrc=http%3A%2F%2Fexample.com%2Fx.tar", "image.import", None),
        ("/v1.41/build?version=2", "image.build.buildkit", None),
        ("/v1.41/build?version=1&version=2", "image.build", None),
        ("/v1.41/build?version=2&version=1", "image.build.buildkit", None),
        ("/v1.41/build?Version=2", "image.build", None),
        ("/v1.41/build?version=2%20", "image.build", None),
        ("/v1.41/build", "image.build", None),
        ("/v1.41/commit?container=web&container=other", "image.commit", "web"),
        ("/v1.41/commit", "image.commit", None),
        ("/v1.41/containers/a%2Fb/start", "container.start", "a/b"),
        ("/v1.23/containers//web//start/", "container.start", "web"),
        ("/containers/web/start", "container.start", "web"),
    ],
)  # fmt: skip
def test_with_the_normaliser(uri: str, action: str, ident: str | None) -> None:
    found = _through_normalise(uri)
    assert found is not None
    assert (found.action, found.ident) == (action, ident)


def test_kinds() -> None:
    commit = _match("POST", "/commit", {"container": "web"})
    assert commit is not None and commit.kind is ResourceKind.CONTAINER
    exec_create = _match("POST", "/containers/web/exec")
    assert exec_create is not None and exec_create.kind is ResourceKind.CONTAINER
    exec_start = _match("POST", "/exec/e1/start")
    assert exec_start is not None and exec_start.kind is ResourceKind.EXEC


# -- the matcher against a naive reading of the table ---------------------------------------


def _naive(method: str, path: str, query: Q) -> Route | None:
    for r in ROUTES:
        if r.method not in (method, "*") or not template_regex(r.pattern).fullmatch(path):
            continue
        if r.when is None or r.when.holds(query):
            return r
    return None


_PIECES = st.sampled_from(
    ["containers", "images", "json", "create", "a", "b:1", "127.0.0.1:5000", "start", "exec",
     "archive", "checkpoints", "networks", "plugins", "get", "debug", "pprof", "vars", "build",
     "services", "secrets", "volumes", "_ping", "attach", "ws", "x"]
)  # fmt: skip


@settings(max_examples=500)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "X"]),
    pieces=st.lists(_PIECES, min_size=0, max_size=5),
    query=st.dictionaries(
        st.sampled_from(["version", "fromImage", "container", "remote"]),
        st.sampled_from(["", "2", "1", "alpine"]),
    ),
)
def test_indexed_match_equals_naive_first_match(
    method: str, pieces: list[str], query: dict[str, str]
) -> None:
    path = "/" + "/".join(pieces)
    found = match(method, path, query)
    assert (found.route if found else None) == _naive(method, path, query)


# -- the generated reference ----------------------------------------------------------------


def test_actions_doc_is_generated_from_the_table() -> None:
    """docs/authz/actions.md is the output of actions_markdown(), never hand-edited."""
    committed = (Path(__file__).parents[2] / "docs" / "authz" / "actions.md").read_text(
        encoding="utf-8"
    )
    assert committed == actions_markdown(), (
        "regenerate: .venv/bin/python -c 'import sys; from seawall.authz.routes import "
        "actions_markdown; sys.stdout.write(actions_markdown())' > docs/authz/actions.md"
    )


def test_actions_doc_lists_every_action() -> None:
    text = actions_markdown()
    for action in ACTIONS:
        assert f"| `{action}` |" in text
    assert f"{len(ROUTES)} routes, {len(ACTIONS)} actions." in text
