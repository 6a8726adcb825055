"""Plugins: privileges a plugin is granted, and changes to an installed plugin.

A managed plugin runs as root with whatever it asks for (host network, host mounts, devices,
capabilities). ``plugin.install``/``plugin.upgrade`` send the privileges the user accepted as a
JSON array; the engine checks that they equal what the plugin needs, so any entry at all
needs ``plugin_privileges``. ``plugin.set`` changes the environment, arguments, mount sources
and device paths of such a plugin; every setting needs ``plugin_privileges``. A Swarm service
whose tasks are plugins (``TaskTemplate.PluginSpec``, ``Runtime: plugin``) too. Only the names
of settings appear in reasons, never their values (an environment value may be a secret).
"""

from __future__ import annotations

from seawall.authz.constraints import Violation, registries
from seawall.authz.model import ApiRequest
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section


def check_install(request: ApiRequest, body: Section, constraints: Constraints) -> Violation | None:
    """``plugin.install``/``plugin.upgrade``: the ``remote`` reference and the privileges."""
    found = registries.check_ref(request.query.get("remote", ""), "remote", constraints)
    if found is not None:
        return found
    privileges = body.children("Privileges")
    if privileges and not constraints.plugin_privileges:
        asked = ", ".join(_describe(p) for p in privileges[:4])
        return Violation("plugin_privileges", f"the plugin is granted privileges: {asked}")
    return None


def _describe(privilege: Section) -> str:
    values = privilege.raw("Value")
    first = values[0] if isinstance(values, list) and values else ""
    name = privilege.text("Name")[:30]
    return f"{name}={str(first)[:60]}" if first else name


def check_set(body: Section, constraints: Constraints) -> Violation | None:
    """``plugin.set``: any setting changes what a privileged plugin runs."""
    settings = body.texts("Settings")
    if settings and not constraints.plugin_privileges:
        names = ", ".join(s.split("=", 1)[0][:40] for s in settings[:4])
        return Violation("plugin_privileges", f"plugin settings change {names}")
    return None


def check_task_runtime(task: Section, constraints: Constraints) -> Violation | None:
    """A service's ``TaskTemplate``: plugin tasks need ``plugin_privileges``."""
    runtime = task.text("Runtime")
    plugin = task.has("PluginSpec") or runtime == "plugin"
    if plugin and not constraints.plugin_privileges:
        return Violation("plugin_privileges", f"{task.name('Runtime')}: the service runs a plugin")
    if runtime not in ("", "container", "plugin"):
        return Violation("body", f"{task.name('Runtime')} {runtime[:40]!r} is not a container")
    return None
