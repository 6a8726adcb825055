"""The complete Engine API route table: method + path (+ query) -> action, resource kind, target.

Built from the routers moby registers (``api/server/router/*/*.go``): Engine API 1.41 as served
by dockerd 20.10, plus the routes later versions add up to API 1.45 (``PUT /volumes/{name}``).
The engine's matching is reproduced exactly:

* routes are tried in the order the daemon registers them (checkpoint, container, image,
  system, volume, build, session, swarm, plugin, distribution, grpc, network routers, then
  the unversioned ``/debug`` handlers) and the first one whose method and path match wins;
* patterns are gorilla/mux templates: ``{id}`` is one segment (``[^/]+``), ``{name:.*}`` is a
  greedy regular expression, so ``/images/127.0.0.1:5000/a/b:tag/json`` is the inspect of
  ``127.0.0.1:5000/a/b:tag`` and ``/containers/json/json`` the inspect of a container named
  ``json``; matching is case-sensitive and a route answers only its own method (a GET-only
  route never matches HEAD or POST);
* two routes depend on the query as the engine reads it (first value of a parameter):
  ``POST /build`` with ``version=2`` is a BuildKit build, and ``POST /images/create`` is a
  pull when ``fromImage`` is non-empty and an import (of a tarball or a URL) otherwise.

``match`` takes the normalised path without its version prefix (see
``seawall.authz.request.normalise``) and returns ``None`` for anything the engine would answer
with "page not found". ``docs/authz/actions.md`` is generated from this table by
``actions_markdown``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from seawall.authz.model import ResourceKind


class BodyKind(StrEnum):
    """What the body of a request on a route carries."""

    NONE = "none"  # no body expected; the engine ignores one
    JSON = "json"  # a JSON document the engine acts on and a decision may need to judge
    OPAQUE = "opaque"  # a tar archive or stream seawall cannot judge: allow or deny the action


@dataclass(frozen=True, slots=True)
class QueryCondition:
    """A route variant that applies only for a query value (first value, as Go reads it).

    ``equals`` ``None`` means "present and non-empty".
    """

    key: str
    equals: str | None = None

    def holds(self, query: Mapping[str, str]) -> bool:
        """Whether the query selects this variant."""
        value = query.get(self.key, "")
        return value != "" if self.equals is None else value == self.equals

    def describe(self) -> str:
        """``version=2`` or ``fromImage non-empty``."""
        return f"{self.key} non-empty" if self.equals is None else f"{self.key}={self.equals}"


@dataclass(frozen=True, slots=True)
class Route:
    """One Engine API route.

    ``method`` is the HTTP method (``*`` for the ``/debug`` handlers, which answer any method);
    ``pattern`` the gorilla/mux path template moby registers. ``readonly`` is true when the call
    changes no engine, host or registry state and starts nothing (it may still disclose data);
    ``sensitive`` marks reads of data that can hold secrets as a whole (filesystem contents,
    image tarballs, the swarm unlock key, daemon internals). ``when`` restricts the route to a
    query value; ``ident_query`` names the query parameter that identifies the target when the
    path does not (``POST /commit?container=ID``).
    """

    method: str
    pattern: str
    action: str
    kind: ResourceKind | None
    body: BodyKind
    readonly: bool
    description: str
    sensitive: bool = False
    when: QueryCondition | None = None
    ident_query: str | None = None


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """A request matched to a route: the action, and the object it targets.

    ``ident`` is the path's ``{name}``/``{id}`` parameter (decoded, as the engine sees it), or
    the route's ``ident_query`` parameter, or ``None`` for collection-level calls. ``params``
    holds every path parameter.
    """

    route: Route
    action: str
    kind: ResourceKind | None
    ident: str | None
    params: Mapping[str, str]


_N, _J, _O = BodyKind.NONE, BodyKind.JSON, BodyKind.OPAQUE
_K = ResourceKind
_C = "/containers/{name:.*}"
_IMG = "/images/{name:.*}"
_PLG = "/plugins/{name:.*}"
_PULL = QueryCondition("fromImage")
_BUILDKIT = QueryCondition("version", "2")


def _r(
    method: str,
    pattern: str,
    action: str,
    kind: ResourceKind,
    body: BodyKind,
    readonly: bool,
    description: str,
    *,
    sensitive: bool = False,
    when: QueryCondition | None = None,
    ident_query: str | None = None,
) -> Route:
    return Route(
        method, pattern, action, kind, body, readonly, description, sensitive, when, ident_query
    )


def _swarm_objects(plural: str, kind: ResourceKind, what: str) -> tuple[Route, ...]:
    """The list/create/delete/inspect/update routes secrets and configs share."""
    base, one = f"/{plural}", f"/{plural}/{{id}}"
    k = kind.value
    return (
        _r("GET", base, f"{k}.list", kind, _N, True, f"List swarm {what}s."),
        _r("POST", f"{base}/create", f"{k}.create", kind, _J, False, f"Create a swarm {what}."),
        _r("DELETE", one, f"{k}.delete", kind, _N, False, f"Remove a swarm {what}."),
        _r("GET", one, f"{k}.inspect", kind, _N, True, f"Inspect a swarm {what}."),
        _r("POST", f"{one}/update", f"{k}.update", kind, _J, False, f"Update a swarm {what}."),
    )


# Registration order matters: the first route whose method and path match wins.
# fmt: off
ROUTES: tuple[Route, ...] = (
    # checkpoint router: registered before the container router so that its DELETE is not
    # shadowed by DELETE /containers/{name:.*}. Experimental (501 unless enabled).
    _r("GET", f"{_C}/checkpoints", "container.checkpoint.list", _K.CONTAINER, _N, True,
       "List a container's checkpoints (experimental)."),
    _r("POST", f"{_C}/checkpoints", "container.checkpoint.create", _K.CONTAINER, _J, False,
       "Checkpoint a running container with CRIU (experimental)."),
    _r("DELETE", "/containers/{name}/checkpoints/{checkpoint}", "container.checkpoint.delete",
       _K.CONTAINER, _N, False, "Delete a container checkpoint (experimental)."),
    # container router
    _r("HEAD", f"{_C}/archive", "container.archive.head", _K.CONTAINER, _N, True,
       "Stat a path inside a container (docker cp)."),
    _r("GET", "/containers/json", "container.list", _K.CONTAINER, _N, True, "List containers."),
    _r("GET", f"{_C}/export", "container.export", _K.CONTAINER, _N, True,
       "Export a container's whole filesystem as a tar archive.", sensitive=True),
    _r("GET", f"{_C}/changes", "container.changes", _K.CONTAINER, _N, True,
       "List filesystem changes of a container."),
    _r("GET", f"{_C}/json", "container.inspect", _K.CONTAINER, _N, True,
       "Inspect a container (its configuration includes environment variables)."),
    _r("GET", f"{_C}/top", "container.top", _K.CONTAINER, _N, True,
       "List a container's processes."),
    _r("GET", f"{_C}/logs", "container.logs", _K.CONTAINER, _N, True,
       "Read (or follow) a container's logs."),
    _r("GET", f"{_C}/stats", "container.stats", _K.CONTAINER, _N, True,
       "Read (or stream) a container's resource usage."),
    _r("GET", f"{_C}/attach/ws", "container.attach.ws", _K.CONTAINER, _N, False,
       "Attach to a container over a websocket (stdin, stdout, stderr)."),
    _r("GET", "/exec/{id:.*}/json", "exec.inspect", _K.EXEC, _N, True, "Inspect an exec instance."),
    _r("GET", f"{_C}/archive", "container.archive.get", _K.CONTAINER, _N, True,
       "Copy files out of a container as a tar archive (docker cp).", sensitive=True),
    _r("POST", "/containers/create", "container.create", _K.CONTAINER, _J, False,
       "Create a container from a JSON configuration (host config included)."),
    _r("POST", f"{_C}/kill", "container.kill", _K.CONTAINER, _N, False,
       "Send a signal to a container."),
    _r("POST", f"{_C}/pause", "container.pause", _K.CONTAINER, _N, False, "Pause a container."),
    _r("POST", f"{_C}/unpause", "container.unpause", _K.CONTAINER, _N, False,
       "Unpause a container."),
    _r("POST", f"{_C}/restart", "container.restart", _K.CONTAINER, _N, False,
       "Restart a container."),
    _r("POST", f"{_C}/start", "container.start", _K.CONTAINER, _J, False,
       "Start a container (API < 1.24 also applies a HostConfig body)."),
    _r("POST", f"{_C}/stop", "container.stop", _K.CONTAINER, _N, False, "Stop a container."),
    _r("POST", f"{_C}/wait", "container.wait", _K.CONTAINER, _N, True,
       "Block until a container stops and return its exit code."),
    _r("POST", f"{_C}/resize", "container.resize", _K.CONTAINER, _N, False,
       "Resize a container's TTY."),
    _r("POST", f"{_C}/attach", "container.attach", _K.CONTAINER, _N, False,
       "Attach to a container's stdin, stdout and stderr (hijacked connection)."),
    _r("POST", f"{_C}/copy", "container.copy", _K.CONTAINER, _J, True,
       "Legacy copy of files out of a container (API < 1.24 only; 404 above).", sensitive=True),
    _r("POST", f"{_C}/exec", "container.exec", _K.CONTAINER, _J, False,
       "Create an exec instance (a command, user, privileges) in a container."),
    _r("POST", "/exec/{name:.*}/start", "exec.start", _K.EXEC, _J, False,
       "Start an exec instance (hijacked connection unless detached)."),
    _r("POST", "/exec/{name:.*}/resize", "exec.resize", _K.EXEC, _N, False,
       "Resize an exec instance's TTY."),
    _r("POST", f"{_C}/rename", "container.rename", _K.CONTAINER, _N, False,
       "Rename a container."),
    _r("POST", f"{_C}/update", "container.update", _K.CONTAINER, _J, False,
       "Change a container's resources and restart policy."),
    _r("POST", "/containers/prune", "container.prune", _K.CONTAINER, _N, False,
       "Remove all stopped containers (matching filters)."),
    _r("PUT", f"{_C}/archive", "container.archive.put", _K.CONTAINER, _O, False,
       "Extract a tar archive into a container's filesystem (docker cp into)."),
    _r("DELETE", "/containers/{name:.*}", "container.delete", _K.CONTAINER, _N, False,
       "Remove a container (and optionally its anonymous volumes)."),
    # image router
    _r("GET", "/images/json", "image.list", _K.IMAGE, _N, True, "List images."),
    _r("GET", "/images/search", "image.search", _K.IMAGE, _N, True,
       "Search a registry (Docker Hub by default) for images."),
    _r("GET", "/images/get", "image.save", _K.IMAGE, _N, True,
       "Export the images named in the query as a tarball (docker save).", sensitive=True),
    _r("GET", f"{_IMG}/get", "image.save", _K.IMAGE, _N, True,
       "Export an image as a tarball (docker save).", sensitive=True),
    _r("GET", f"{_IMG}/history", "image.history", _K.IMAGE, _N, True,
       "Show an image's history."),
    _r("GET", f"{_IMG}/json", "image.inspect", _K.IMAGE, _N, True, "Inspect an image."),
    _r("POST", "/commit", "image.commit", _K.CONTAINER, _J, False,
       "Create an image from a container's filesystem (target: query container).",
       ident_query="container"),
    _r("POST", "/images/load", "image.load", _K.IMAGE, _O, False,
       "Load images from an uploaded tarball (docker load)."),
    _r("POST", "/images/create", "image.pull", _K.IMAGE, _N, False,
       "Pull an image from a registry (query fromImage, first value non-empty).",
       when=_PULL, ident_query="fromImage"),
    _r("POST", "/images/create", "image.import", _K.IMAGE, _O, False,
       "Import a root filesystem from the body or from a URL the engine fetches (fromSrc)."),
    _r("POST", f"{_IMG}/push", "image.push", _K.IMAGE, _N, False,
       "Push an image to a registry."),
    _r("POST", f"{_IMG}/tag", "image.tag", _K.IMAGE, _N, False, "Tag an image."),
    _r("POST", "/images/prune", "image.prune", _K.IMAGE, _N, False, "Remove unused images."),
    _r("DELETE", _IMG, "image.delete", _K.IMAGE, _N, False, "Remove an image or untag it."),
    # system router
    _r("OPTIONS", "/{anyroute:.*}", "system.options", _K.SYSTEM, _N, True,
       "CORS pre-flight: answered with 200 on any path, does nothing."),
    _r("GET", "/_ping", "system.ping", _K.SYSTEM, _N, True, "Check that the engine answers."),
    _r("HEAD", "/_ping", "system.ping", _K.SYSTEM, _N, True, "Check that the engine answers."),
    _r("GET", "/events", "system.events", _K.SYSTEM, _N, True, "Stream engine events."),
    _r("GET", "/info", "system.info", _K.SYSTEM, _N, True, "Engine-wide information."),
    _r("GET", "/version", "system.version", _K.SYSTEM, _N, True, "Engine version."),
    _r("GET", "/system/df", "system.df", _K.SYSTEM, _N, True, "Disk usage of engine objects."),
    _r("POST", "/auth", "system.auth", _K.SYSTEM, _J, False,
       "Check registry credentials (docker login); the body holds them."),
    # volume router
    _r("GET", "/volumes", "volume.list", _K.VOLUME, _N, True, "List volumes."),
    _r("GET", "/volumes/{name:.*}", "volume.inspect", _K.VOLUME, _N, True, "Inspect a volume."),
    _r("POST", "/volumes/create", "volume.create", _K.VOLUME, _J, False,
       "Create a volume (driver options can bind any host path)."),
    _r("POST", "/volumes/prune", "volume.prune", _K.VOLUME, _N, False,
       "Remove unused volumes."),
    _r("PUT", "/volumes/{name:.*}", "volume.update", _K.VOLUME, _J, False,
       "Update a cluster volume (API 1.42+)."),
    _r("DELETE", "/volumes/{name:.*}", "volume.delete", _K.VOLUME, _N, False,
       "Remove a volume."),
    # build router
    _r("POST", "/build", "image.build.buildkit", _K.IMAGE, _O, False,
       "Build with BuildKit (query version=2); context and secrets come over a session.",
       when=_BUILDKIT),
    _r("POST", "/build", "image.build", _K.IMAGE, _O, False,
       "Build an image with the classic builder from an uploaded or remote context."),
    _r("POST", "/build/prune", "image.build.prune", _K.IMAGE, _N, False,
       "Remove the build cache."),
    _r("POST", "/build/cancel", "image.build.cancel", _K.IMAGE, _N, False,
       "Cancel a running build."),
    # session router
    _r("POST", "/session", "session.start", _K.SESSION, _O, False,
       "Open an interactive BuildKit session (hijacked connection)."),
    # swarm router
    _r("POST", "/swarm/init", "swarm.init", _K.SWARM, _J, False, "Initialise a swarm."),
    _r("POST", "/swarm/join", "swarm.join", _K.SWARM, _J, False, "Join a swarm."),
    _r("POST", "/swarm/leave", "swarm.leave", _K.SWARM, _N, False, "Leave the swarm."),
    _r("GET", "/swarm", "swarm.inspect", _K.SWARM, _N, True,
       "Inspect the swarm (includes join tokens)."),
    _r("GET", "/swarm/unlockkey", "swarm.unlockkey", _K.SWARM, _N, True,
       "Read the swarm unlock key.", sensitive=True),
    _r("POST", "/swarm/update", "swarm.update", _K.SWARM, _J, False,
       "Update the swarm's settings or rotate tokens."),
    _r("POST", "/swarm/unlock", "swarm.unlock", _K.SWARM, _J, False,
       "Unlock a locked swarm manager."),
    _r("GET", "/services", "service.list", _K.SERVICE, _N, True, "List services."),
    _r("GET", "/services/{id}", "service.inspect", _K.SERVICE, _N, True, "Inspect a service."),
    _r("POST", "/services/create", "service.create", _K.SERVICE, _J, False,
       "Create a service (its task template can mount host paths)."),
    _r("POST", "/services/{id}/update", "service.update", _K.SERVICE, _J, False,
       "Update a service."),
    _r("DELETE", "/services/{id}", "service.delete", _K.SERVICE, _N, False,
       "Remove a service."),
    _r("GET", "/services/{id}/logs", "service.logs", _K.SERVICE, _N, True,
       "Read a service's logs."),
    _r("GET", "/nodes", "node.list", _K.NODE, _N, True, "List swarm nodes."),
    _r("GET", "/nodes/{id}", "node.inspect", _K.NODE, _N, True, "Inspect a swarm node."),
    _r("DELETE", "/nodes/{id}", "node.delete", _K.NODE, _N, False,
       "Remove a node from the swarm."),
    _r("POST", "/nodes/{id}/update", "node.update", _K.NODE, _J, False,
       "Update a node (role, availability, labels)."),
    _r("GET", "/tasks", "task.list", _K.TASK, _N, True, "List swarm tasks."),
    _r("GET", "/tasks/{id}", "task.inspect", _K.TASK, _N, True, "Inspect a swarm task."),
    _r("GET", "/tasks/{id}/logs", "task.logs", _K.TASK, _N, True, "Read a task's logs."),
    *_swarm_objects("secrets", _K.SECRET, "secret"),
    *_swarm_objects("configs", _K.CONFIG, "config"),
    # plugin router
    _r("GET", "/plugins", "plugin.list", _K.PLUGIN, _N, True, "List plugins."),
    _r("GET", f"{_PLG}/json", "plugin.inspect", _K.PLUGIN, _N, True, "Inspect a plugin."),
    _r("GET", "/plugins/privileges", "plugin.privileges", _K.PLUGIN, _N, True,
       "Ask a registry which privileges a plugin wants (query remote).", ident_query="remote"),
    _r("DELETE", _PLG, "plugin.delete", _K.PLUGIN, _N, False, "Remove a plugin."),
    _r("POST", f"{_PLG}/enable", "plugin.enable", _K.PLUGIN, _N, False,
       "Enable a plugin (starts it with the privileges it was granted)."),
    _r("POST", f"{_PLG}/disable", "plugin.disable", _K.PLUGIN, _N, False,
       "Disable a plugin."),
    _r("POST", "/plugins/pull", "plugin.install", _K.PLUGIN, _J, False,
       "Install a plugin from a registry; the body lists the privileges granted.",
       ident_query="remote"),
    _r("POST", f"{_PLG}/push", "plugin.push", _K.PLUGIN, _N, False,
       "Push a plugin to a registry."),
    _r("POST", f"{_PLG}/upgrade", "plugin.upgrade", _K.PLUGIN, _J, False,
       "Upgrade a plugin; the body lists the privileges granted."),
    _r("POST", f"{_PLG}/set", "plugin.set", _K.PLUGIN, _J, False,
       "Change a plugin's settings (env, mount sources, devices, args)."),
    _r("POST", "/plugins/create", "plugin.create", _K.PLUGIN, _O, False,
       "Create a plugin from an uploaded tar (config and root filesystem)."),
    # distribution router
    _r("GET", "/distribution/{name:.*}/json", "distribution.inspect", _K.DISTRIBUTION, _N, True,
       "Ask a registry for an image's manifest digest and platforms."),
    # grpc router
    _r("POST", "/grpc", "session.grpc", _K.SESSION, _O, False,
       "gRPC over HTTP/2 to the engine's BuildKit (never sent to AuthZ plugins)."),
    # network router ("GET /networks/" is registered too; normalised paths never end in "/")
    _r("GET", "/networks", "network.list", _K.NETWORK, _N, True, "List networks."),
    _r("GET", "/networks/{id:.+}", "network.inspect", _K.NETWORK, _N, True,
       "Inspect a network."),
    _r("POST", "/networks/create", "network.create", _K.NETWORK, _J, False,
       "Create a network."),
    _r("POST", "/networks/{id:.*}/connect", "network.connect", _K.NETWORK, _J, False,
       "Connect a container (named in the body) to a network."),
    _r("POST", "/networks/{id:.*}/disconnect", "network.disconnect", _K.NETWORK, _J, False,
       "Disconnect a container (named in the body) from a network."),
    _r("POST", "/networks/prune", "network.prune", _K.NETWORK, _N, False,
       "Remove unused networks."),
    _r("DELETE", "/networks/{id:.*}", "network.delete", _K.NETWORK, _N, False,
       "Remove a network."),
    # debug handlers: registered last, unversioned only, for any method
    _r("*", "/debug/vars", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: expvar (command line, memory statistics).", sensitive=True),
    _r("*", "/debug/pprof", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: pprof index (served at /debug/pprof/).", sensitive=True),
    _r("*", "/debug/pprof/cmdline", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: the daemon's command line.", sensitive=True),
    _r("*", "/debug/pprof/profile", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: a CPU profile.", sensitive=True),
    _r("*", "/debug/pprof/symbol", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: symbol lookup.", sensitive=True),
    _r("*", "/debug/pprof/trace", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: an execution trace.", sensitive=True),
    _r("*", "/debug/pprof/{name}", "system.debug", _K.SYSTEM, _N, True,
       "Daemon internals: a named profile (heap, goroutine stacks...).", sensitive=True),
)
# fmt: on

#: Every action name in the table ("unknown" is not one: unknown routes match nothing).
ACTIONS: frozenset[str] = frozenset(r.action for r in ROUTES)

_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}")
_IDENT_PARAMS = ("name", "id")
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Compiled:
    route: Route
    regex: re.Pattern[str]
    segment: str | None  # literal first path segment, None when it is a variable


def template_regex(pattern: str) -> re.Pattern[str]:
    """Compile a gorilla/mux path template the way gorilla does (anchored, default ``[^/]+``)."""
    parts: list[str] = []
    end = 0
    for var in _VAR.finditer(pattern):
        parts.append(re.escape(pattern[end : var.start()]))
        parts.append(f"(?P<{var.group(1)}>{var.group(2) or '[^/]+'})")
        end = var.end()
    parts.append(re.escape(pattern[end:]))
    return re.compile("".join(parts))


def _first_segment(pattern: str) -> str | None:
    first = pattern[1:].partition("/")[0]
    return None if "{" in first else first


_COMPILED: tuple[_Compiled, ...] = tuple(
    _Compiled(r, template_regex(r.pattern), _first_segment(r.pattern)) for r in ROUTES
)


def _candidates(method: str, segment: str) -> tuple[_Compiled, ...]:
    return tuple(
        c for c in _COMPILED if c.route.method in (method, "*") and c.segment in (segment, None)
    )


# Candidates per (method, first segment) for every method and segment in the table, in
# registration order; other combinations are filtered on the fly (only wildcards can match).
_INDEX: dict[tuple[str, str], tuple[_Compiled, ...]] = {
    (m, s): _candidates(m, s)
    for m in {r.method for r in ROUTES} - {"*"}
    for s in {c.segment for c in _COMPILED if c.segment is not None}
}


def match(method: str, path: str, query: Mapping[str, str]) -> RouteMatch | None:
    """The route the engine would dispatch ``method path`` to, or ``None`` (page not found).

    ``path`` is normalised and without the ``/vX.Y`` prefix; ``query`` holds first values.
    """
    segment = path[1:].partition("/")[0]
    candidates = _INDEX.get((method, segment))
    if candidates is None:
        candidates = _candidates(method, segment)
    for c in candidates:
        found = c.regex.fullmatch(path)
        if found is None or (c.route.when is not None and not c.route.when.holds(query)):
            continue
        params = {k: v for k, v in found.groupdict().items() if v is not None}
        ident = next((params[k] for k in _IDENT_PARAMS if k in params), None)
        if ident is None and c.route.ident_query is not None:
            ident = query.get(c.route.ident_query) or None
        return RouteMatch(
            c.route,
            c.route.action,
            c.route.kind,
            ident,
            MappingProxyType(params) if params else _EMPTY,
        )
    return None


def actions_markdown() -> str:
    """The action reference (docs/authz/actions.md), generated from ``ROUTES``."""
    lines = [
        "# Engine API actions",
        "",
        "<!-- Generated from seawall.authz.routes.ROUTES by actions_markdown(); do not edit. -->",
        "",
        "Every Engine API route dockerd registers (API 1.41 as served by dockerd 20.10, plus",
        "later routes up to API 1.45), with the action name policies grant. Paths are the",
        "engine's gorilla/mux templates: `{id}` is one path segment, `{name:.*}` any text",
        "including `/` (image names such as `127.0.0.1:5000/team/app:1.0`). Each route is also",
        "served under a version prefix (`/v1.41/...`), except the `/debug` handlers. A request",
        "that matches no route is the pseudo-action `unknown`, denied unless a rule grants it.",
        "",
        "Body: `json` = a JSON document the engine acts on (constraints judge it); `opaque` = a",
        "tar archive or stream seawall cannot judge, so the action is granted whole or not at",
        "all; `none` = no body. Read-only: the call changes no engine, host or registry state.",
        "Sensitive: it reads data that can hold secrets as a whole (filesystems, image",
        "tarballs, the swarm unlock key, daemon internals).",
        "",
        f"{len(ROUTES)} routes, {len(ACTIONS)} actions.",
    ]
    groups: dict[str, list[Route]] = {}
    for route in ROUTES:
        groups.setdefault(route.action.partition(".")[0], []).append(route)
    for group, routes in groups.items():
        lines += [
            "",
            f"## {group}",
            "",
            "| Action | Method | Path | Body | Read-only | Sensitive | Description |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in sorted(routes, key=lambda r: r.action):
            path = f"`{r.pattern}`" + (f" when `{r.when.describe()}`" if r.when else "")
            method = "any" if r.method == "*" else r.method
            lines.append(
                f"| `{r.action}` | {method} | {path} | {r.body.value} | "
                f"{'yes' if r.readonly else 'no'} | {'yes' if r.sensitive else 'no'} | "
                f"{r.description} |"
            )
    return "\n".join(lines) + "\n"
