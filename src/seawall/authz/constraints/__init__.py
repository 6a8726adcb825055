"""Constraint checks of one policy rule, one module per group of ``Constraints`` keys.

Each module reads what a request asks for (through ``seawall.authz.spec``) and returns a
``Violation`` naming the ``Constraints`` key that forbids it, or ``None``. Host-config checks
share one signature, ``check_host(section, constraints, context)``, so ``seawall.authz.check``
can run them over every place a body carries HostConfig fields:

- ``privileged``: ``Privileged``;
- ``capabilities``: ``CapAdd``, the legacy ``Capabilities``, a service's ``CapabilityAdd``;
- ``hostpaths``: one host path (absolute, normalised, resolved, not the engine socket or a
  parent of it, under an allowed prefix, not writable by the caller);
- ``volumes``: binds, mounts, named volumes, volume drivers and options, ``VolumesFrom``,
  ``volume.create``;
- ``namespaces``: host and ``container:`` namespace modes, the ``host`` network;
- ``networks``: ``network.create`` drivers and options that reach host interfaces;
- ``devices``: ``Devices``, ``DeviceRequests``, ``DeviceCgroupRules``;
- ``security``: ``SecurityOpt``, ``MaskedPaths``/``ReadonlyPaths``, a service's ``Privileges``;
- ``cgroup``, ``runtime``, ``sysctls``: ``CgroupParent``, ``Runtime``, ``Sysctls``;
- ``registries``: image references against the allowed registries;
- ``user``: the non-root requirement; ``exec``: ``container.exec`` bodies;
- ``resources``: required limits on creates, services and updates;
- ``build``: ``image.build`` and ``image.import`` queries; ``plugins``: plugin privileges.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """Why a rule's constraints do not allow a request.

    ``key`` is the ``Constraints`` field that forbids it (``privileged``, ``host_paths``...) or
    ``body`` for a body the engine would refuse; ``reason`` is one line naming the field and
    the value, never a secret (environment values, build arguments and tokens are not quoted).
    """

    key: str
    reason: str
