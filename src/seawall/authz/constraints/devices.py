"""Host devices: ``Devices``, ``DeviceRequests`` (GPUs) and ``DeviceCgroupRules``.

``DeviceCgroupRules`` matters on its own: ``"b *:* rwm"`` lets a container with the default
``MKNOD`` capability create a node for the host's disk and open it.
"""

from __future__ import annotations

from seawall.authz.body import field
from seawall.authz.constraints import Violation
from seawall.authz.model import Context
from seawall.authz.policy import Constraints
from seawall.authz.spec import Section

_FIELDS = ("Devices", "DeviceRequests", "DeviceCgroupRules")


#: The HostConfig fields ``check_host`` reads (``seawall.authz.check`` skips sections without any).
FIELDS: tuple[str, ...] = _FIELDS


def check_host(section: Section, constraints: Constraints, context: Context) -> Violation | None:
    """A HostConfig (or update) section giving the container host devices."""
    if constraints.devices:
        return None
    for name in _FIELDS:
        items = section.items(name)
        if items:
            return Violation(
                "devices", f"{section.name(name)} asks for {_describe(name, items[0])}"
            )
    return None


def _describe(name: str, first: object) -> str:
    if name == "DeviceCgroupRules" and isinstance(first, str):
        return f"device access rule {first[:60]!r}"
    if name == "Devices" and isinstance(first, dict):
        path = field(first, "PathOnHost")
        return f"host device {str(path)[:80]!r}" if isinstance(path, str) else "a host device"
    return "host devices"
