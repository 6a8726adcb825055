"""Image builds and imports: what the engine fetches or runs on its own network.

``image.build`` and ``image.build.buildkit`` (query parameters; the body is the build
context, never parsed):

- ``networkmode=host`` needs ``build_host_network``; ``container:ID`` needs the ``container``
  namespace;
- ``version=2`` (BuildKit, the ``image.build.buildkit`` action) needs ``build_host_network``:
  BuildKit steps can ask for the host network (``RUN --network=host``, allowed by the engine's
  default entitlements) over the build session, which authorization never sees;
- a ``remote`` context (a URL or git repository the engine downloads itself, from the host's
  network) needs ``build_host_network``;
- ``cgroupparent`` needs ``cgroup_parent``.

``image.import`` with ``fromSrc`` other than ``-`` (an upload) is a URL the engine fetches:
it needs ``build_host_network`` too. Its ``repo`` must come from an allowed registry.
Registries are not checked on build tags: the engine reads every ``t`` parameter while the
request model keeps the first, and build steps pull base images themselves anyway.
"""

from __future__ import annotations

from seawall.authz.constraints import Violation, cgroup, registries
from seawall.authz.constraints.namespaces import check_mode
from seawall.authz.model import ApiRequest
from seawall.authz.policy import Constraints


def check_build(request: ApiRequest, constraints: Constraints) -> Violation | None:
    """An ``image.build`` request."""
    query = request.query
    network = query.get("networkmode", "")
    if network.lower() == "host":
        if not constraints.build_host_network:
            return Violation("build_host_network", "networkmode=host builds on the host network")
    else:
        found = check_mode(network, "network", "networkmode", constraints)
        if found is not None:
            return found
    if query.get("version", "") == "2" and not constraints.build_host_network:
        return Violation(
            "build_host_network",
            "version=2 (BuildKit) steps can use the host network through a session "
            "seawall cannot see",
        )
    remote = query.get("remote", "")
    if remote and not constraints.build_host_network:
        return Violation(
            "build_host_network",
            f"remote context {remote[:80]!r} is downloaded by the engine from the host network",
        )
    return cgroup.check_value(query.get("cgroupparent", ""), "cgroupparent", constraints)


def check_import(request: ApiRequest, constraints: Constraints) -> Violation | None:
    """An ``image.import`` request (``POST /images/create?fromSrc=...``)."""
    source = request.query.get("fromSrc", "")
    if source not in ("", "-") and not constraints.build_host_network:
        return Violation(
            "build_host_network",
            f"fromSrc {source[:80]!r} is fetched by the engine from the host network",
        )
    repo = request.query.get("repo", "")
    if repo:
        return registries.check_ref(repo, "repo", constraints)
    return None
