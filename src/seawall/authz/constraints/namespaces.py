"""Host namespaces and ``container:`` joins.

``NetworkMode``/``PidMode``/``IpcMode``/``UTSMode``/``UsernsMode``/``CgroupnsMode`` set to
``host`` need that namespace in ``host_namespaces`` (``network``, ``pid``, ``ipc``, ``uts``,
``userns``, ``cgroupns``); ``container:ID`` in any of them, or in the ``Cgroup`` field, joins
another container's namespace and needs ``container``. Values are compared case-insensitively
(stricter than the engine) and any other ``x:y`` form is refused. Attaching to the network
named ``host`` (a create's ``NetworkingConfig.EndpointsConfig``, a service's ``Networks``) is
the host network too.
"""

from __future__ import annotations

from collections.abc import Iterable

from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

_MODES = (
    ("NetworkMode", "network"),
    ("PidMode", "pid"),
    ("IpcMode", "ipc"),
    ("UTSMode", "uts"),
    ("UsernsMode", "userns"),
    ("CgroupnsMode", "cgroupns"),
    ("Cgroup", "cgroupns"),
)


#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = tuple(name for name, _ in _MODES)


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """The namespace modes of a HostConfig section."""
    for field, namespace in _MODES:
        value = section.text(field)
        if not value:  # the default mode: nothing to judge (and no message to format)
            continue
        found = check_mode(value, namespace, section.name(field), constraints)
        if found is not None:
            return found
    return None


def check_mode(
    value: str, namespace: str, where: str, constraints: Constraints
) -> Violation | None:
    """One namespace mode value (``host``, ``container:ID``, ``private``...)."""
    lowered = value.lower()
    if lowered == "host":
        need, what = namespace, f"the host {namespace} namespace"
    elif lowered.startswith("container:"):
        need, what = "container", "another container's namespace"
    elif ":" in value:
        return Violation("host_namespaces", f"{where} is {value[:80]!r}, a form seawall refuses")
    else:
        return None
    if need in constraints.host_namespaces:
        return None
    return Violation("host_namespaces", f"{where} is {value[:80]!r} ({what})")


def check_network_names(
    names: Iterable[str], where: str, constraints: Constraints
) -> Violation | None:
    """Networks a container or service attaches to: ``host`` is the host network."""
    for name in names:
        if name.lower() == "host" and "network" not in constraints.host_namespaces:
            return Violation("host_namespaces", f"{where} attaches to the host network")
    return None


def check_endpoints(body: Section, constraints: Constraints) -> Violation | None:
    """A create body's ``NetworkingConfig.EndpointsConfig`` network names."""
    networking = body.child("NetworkingConfig")
    if networking is None:
        return None
    endpoints = networking.raw("EndpointsConfig")
    if endpoints is None:
        return None
    if not isinstance(endpoints, dict):
        return Violation("body", f"{networking.name('EndpointsConfig')}: expected an object")
    return check_network_names(endpoints, networking.name("EndpointsConfig"), constraints)
