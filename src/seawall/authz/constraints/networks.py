"""``network.create``: networks that reach the host's own interfaces need host networking.

``macvlan`` and ``ipvlan`` put containers straight on a host interface (``-o parent=eth0``), as
does any driver given a ``parent`` option, a bridge named after an existing host bridge
(``com.docker.network.bridge.name``), a network built from an administrator's config-only
network (``ConfigFrom``) or the swarm ingress network. ``bridge``, ``overlay`` and ``null`` (and
the default, empty driver) are fine; every other driver (a plugin) needs ``network`` too, as
this check cannot know what it does.
"""

from __future__ import annotations

from seawall.authz.constraints import Violation
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

SAFE_DRIVERS = frozenset({"", "bridge", "overlay", "null"})
_HOST_OPTIONS = ("parent", "com.docker.network.bridge.name")


def check_network_create(body: Section, constraints: Constraints) -> Violation | None:
    """A ``network.create`` body."""
    if "network" in constraints.host_namespaces:
        return None
    driver = body.text("Driver")
    if driver not in SAFE_DRIVERS:
        return Violation(
            "host_namespaces",
            f"Driver {driver[:40]!r} can attach containers to host interfaces",
        )
    options = body.text_map("Options")
    for key in options:
        if key.lower() in _HOST_OPTIONS:
            return Violation(
                "host_namespaces", f"Options {key!r} names a host interface ({options[key][:40]!r})"
            )
    if body.has("ConfigFrom"):
        return Violation("host_namespaces", "ConfigFrom builds on a config-only network")
    if body.boolean("Ingress"):
        return Violation("host_namespaces", "Ingress asks for the swarm routing-mesh network")
    return None
