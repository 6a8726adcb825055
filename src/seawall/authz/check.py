"""The constraint checks of one policy rule: ``check(...) -> Violation | None``. Pure.

``decide`` calls, for a request a constrained rule grants:

1. ``needs_body(action, request)``: whether the rule needs the JSON body (``BODY_ACTIONS``; a
   ``container.start`` only when a body was sent). A needed body that was not seen is denied
   by the caller, and one that cannot be parsed too (``seawall.authz.body``);
2. ``host_paths(action, body)``: every host path the body names, which the edge resolves into
   ``Context.paths`` (realpath, symlinks, writability) before judging;
3. ``check(...)``: the rule's ``Constraints`` against the request, body and context.

Swarm ``swarm.init``/``swarm.join``/``swarm.update`` bodies are not judged: no constraint
describes them, so those actions are granted or refused as a whole (joining a foreign swarm
lets its managers run anything on this node: grant it to administrators only). The same holds
for bodies the engine does not pass to authorization or that are not JSON (image load, build
contexts, archive uploads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from seawall.authz.constraints import (
    Violation,
    build,
    capabilities,
    cgroup,
    devices,
    namespaces,
    networks,
    plugins,
    privileged,
    registries,
    resources,
    runtime,
    security,
    sysctls,
    user,
    volumes,
)
from seawall.authz.constraints.exec import check_exec
from seawall.authz.model import ApiRequest, Context, Subject
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section, SpecError, host_sections
from seawall.authz.spec_mounts import (
    MountSpec,
    all_mounts,
    device_path,
    mount_host_paths,
    mount_volume_names,
    mounts,
)

__all__ = ["BODY_ACTIONS", "Violation", "check", "host_paths", "needs_body", "volume_names"]

#: Actions whose JSON body a constrained rule judges. ``container.start`` only has one on old
#: API versions (judged like a create's HostConfig); the plugin actions' bodies are arrays
#: (``seawall.authz.body.parse_request_body``).
BODY_ACTIONS = frozenset(
    {
        "container.create",
        "container.start",
        "container.update",
        "container.exec",
        "volume.create",
        "network.create",
        "service.create",
        "service.update",
        "plugin.install",
        "plugin.upgrade",
        "plugin.set",
    }
)

_HostCheck = Callable[[Section, Constraints, Context], Violation | None]
#: The checks run on every HostConfig section of a create or start body.
HOST_CHECKS: tuple[_HostCheck, ...] = (
    privileged.check_host,
    capabilities.check_host,
    namespaces.check_host,
    devices.check_host,
    security.check_host,
    cgroup.check_host,
    runtime.check_host,
    sysctls.check_host,
    volumes.check_host,
)
#: Every HostConfig field a host check reads, folded: a section with none of them is skipped
#: (the top level of a create body usually holds only Config fields).
HOST_FIELDS = frozenset(
    name.lower()
    for module in (
        privileged,
        capabilities,
        namespaces,
        devices,
        security,
        cgroup,
        runtime,
        sysctls,
        volumes,
    )
    for name in module.FIELDS
)
#: The checks run on a ``container.update`` body (the engine ignores the first two there, but
#: an engine that did not would be handed privileges).
UPDATE_CHECKS: tuple[_HostCheck, ...] = (
    privileged.check_host,
    capabilities.check_host,
    devices.check_host,
    cgroup.check_host,
)


def needs_body(action: str, request: ApiRequest) -> bool:
    """True when a constrained rule for ``action`` must see the request's JSON body."""
    if action == "container.start":
        return request.body_sent or bool(request.body)
    return action in BODY_ACTIONS


def _mount_groups(action: str, top: Section) -> Iterator[tuple[MountSpec, ...]]:
    """The mounts a create/start body (per HostConfig section) or a service asks for.

    A generator, so a malformed later section leaves what earlier ones gave to the caller.
    """
    if action in ("container.create", "container.start"):
        for section in host_sections(top):
            yield all_mounts(section)
    elif action in ("service.create", "service.update"):
        yield mounts(_container_spec(top))


def host_paths(
    action: str, body: Mapping[str, object] | None, *, top: Section | None = None
) -> tuple[str, ...]:
    """Every host path ``body`` names, as written, each once (for the edge to resolve).

    Bind sources and ``local`` volume ``device`` options, in HostConfig and at the top level of
    a create or start body, in a service's mounts, and in a ``volume.create``'s options.
    Malformed parts are skipped here; ``check`` reports them. ``top`` is the body already
    wrapped (``decide`` shares one with ``check``), else ``body`` is wrapped here.
    """
    if not body:
        return ()
    if top is None:
        top = Section.of(body)
    found: list[str] = []
    try:
        if action == "volume.create":
            device = device_path(top.text_map("DriverOpts"))
            found.extend([device] if device else [])
        for specs in _mount_groups(action, top):
            found.extend(mount_host_paths(specs))
    except SpecError:
        pass
    return tuple(dict.fromkeys(found))


def volume_names(
    action: str, body: Mapping[str, object] | None, *, top: Section | None = None
) -> tuple[str, ...]:
    """Every named volume a create/start body or a service mounts, each once.

    The edge looks each one up: an existing volume is judged by its own driver and options
    (the engine ignores a container's inline options for a volume that already exists).
    """
    if not body:
        return ()
    if top is None:
        top = Section.of(body)
    found: list[str] = []
    try:
        for specs in _mount_groups(action, top):
            found.extend(mount_volume_names(specs))
    except SpecError:
        pass
    return tuple(dict.fromkeys(found))


def check(
    action: str,
    request: ApiRequest,
    body: Mapping[str, object] | None,
    constraints: Constraints,
    context: Context,
    subject: Subject,
    *,
    top: Section | None = None,
) -> Violation | None:
    """The first way ``request`` breaks ``constraints``; ``None`` when the rule allows it.

    ``subject`` is accepted for the record; what depends on the caller (writable host paths,
    the exec target's user) arrives already resolved in ``context``. ``top`` is ``body``
    already wrapped (``decide`` wraps it once for every rule), else it is wrapped here.
    """
    if constraints.unrestricted:
        return None
    handler = _HANDLERS.get(action)
    if handler is None:
        return None
    if body is None and needs_body(action, request):
        return Violation("body", f"{action} needs its request body, which was not parsed")
    try:
        if top is None or top.obj is not body:
            top = Section.of(body or {})
        return handler(request, top, constraints, context)
    except SpecError as exc:
        return Violation("body", str(exc))


_Handler = Callable[[ApiRequest, Section, Constraints, Context], Violation | None]


def _first(*checks: Callable[[], Violation | None]) -> Violation | None:
    for run in checks:
        found = run()
        if found is not None:
            return found
    return None


def _sections(
    sections: tuple[Section, ...], checks: tuple[_HostCheck, ...], c: Constraints, ctx: Context
) -> Violation | None:
    for section in sections:
        if HOST_FIELDS.isdisjoint(section.names):
            continue
        for run in checks:
            found = run(section, c, ctx)
            if found is not None:
                return found
    return None


def _container_create(
    request: ApiRequest, top: Section, c: Constraints, ctx: Context
) -> Violation | None:
    # Plain sequence rather than _first(lambda...): this is the hot path of the benchmark.
    sections = host_sections(top)
    inner = sections[0] if len(sections) == 2 else None
    found = _sections(sections, HOST_CHECKS, c, ctx)
    if found is None:
        found = namespaces.check_endpoints(top, c)
    if found is None:
        found = registries.check_ref(top.text("Image"), "Image", c)
    if found is None:
        found = user.check_user(top.text("User"), "User", c)
    if found is None:
        found = resources.check_create(top, inner, c)
    return found


def _container_start(
    request: ApiRequest, top: Section, c: Constraints, ctx: Context
) -> Violation | None:
    return _sections(host_sections(top), HOST_CHECKS, c, ctx)


def _container_update(
    request: ApiRequest, top: Section, c: Constraints, ctx: Context
) -> Violation | None:
    return _first(
        lambda: _sections((top,), UPDATE_CHECKS, c, ctx),
        lambda: resources.check_update(top, c),
    )


def _container_spec(top: Section) -> Section:
    task = top.child("TaskTemplate")
    spec = task.child("ContainerSpec") if task is not None else None
    return spec if spec is not None else Section.of({}, "TaskTemplate.ContainerSpec")


def _service(request: ApiRequest, top: Section, c: Constraints, ctx: Context) -> Violation | None:
    task = top.child("TaskTemplate") or Section.of({}, "TaskTemplate")
    spec = _container_spec(top)
    plugin = task.child("PluginSpec")
    image = plugin.text("Remote") if plugin is not None else spec.text("Image")
    networks = (*top.children("Networks"), *task.children("Networks"))
    return _first(
        lambda: plugins.check_task_runtime(task, c),
        lambda: registries.check_ref(image, spec.name("Image"), c),
        lambda: capabilities.check_names(
            spec.texts("CapabilityAdd"), spec.name("CapabilityAdd"), c
        ),
        lambda: security.check_privileges(spec, c),
        lambda: sysctls.check_map(spec.text_map("Sysctls"), spec.name("Sysctls"), c),
        lambda: _first(*(lambda m=m: volumes.check_mount(m, c, ctx) for m in mounts(spec))),
        lambda: namespaces.check_network_names((n.text("Target") for n in networks), "Networks", c),
        lambda: user.check_user(spec.text("User"), spec.name("User"), c),
        lambda: resources.check_service(task, c),
    )


def _image_name(path: str, verb: str) -> str:
    """The image name in ``/images/{name}/{verb}`` (names contain slashes)."""
    prefix, suffix = "/images/", f"/{verb}"
    if path.startswith(prefix) and path.endswith(suffix):
        return path[len(prefix) : -len(suffix)]
    return ""


def _image_tag(request: ApiRequest, top: Section, c: Constraints, ctx: Context) -> Violation | None:
    return _first(
        lambda: registries.check_ref(_image_name(request.path, "tag"), "the source image", c),
        lambda: registries.check_ref(request.query.get("repo", ""), "repo", c),
    )


def _image_commit(
    request: ApiRequest, top: Section, c: Constraints, ctx: Context
) -> Violation | None:
    repo = request.query.get("repo", "")
    return registries.check_ref(repo, "repo", c) if repo else None


_HANDLERS: Mapping[str, _Handler] = {
    "container.create": _container_create,
    "container.start": _container_start,
    "container.update": _container_update,
    "container.exec": lambda r, top, c, ctx: check_exec(top, c, ctx),
    "volume.create": lambda r, top, c, ctx: volumes.check_volume_create(top, c, ctx),
    "network.create": lambda r, top, c, ctx: networks.check_network_create(top, c),
    "service.create": _service,
    "service.update": _service,
    "plugin.install": lambda r, top, c, ctx: plugins.check_install(r, top, c),
    "plugin.upgrade": lambda r, top, c, ctx: plugins.check_install(r, top, c),
    "plugin.set": lambda r, top, c, ctx: plugins.check_set(top, c),
    "image.pull": lambda r, top, c, ctx: registries.check_ref(
        r.query.get("fromImage", ""), "fromImage", c
    ),
    "image.push": lambda r, top, c, ctx: registries.check_ref(
        _image_name(r.path, "push"), "the pushed image", c
    ),
    "image.tag": _image_tag,
    "image.commit": _image_commit,
    "image.import": lambda r, top, c, ctx: build.check_import(r, c),
    "image.build": lambda r, top, c, ctx: build.check_build(r, c),
    "image.build.buildkit": lambda r, top, c, ctx: build.check_build(r, c),
}
