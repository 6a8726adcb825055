"""SW002: swarm services should not publish ports on every interface (CIS Docker 1.6.0, 7.2).

Swarm cannot bind a published port to one host address. Read from ``GET /services``
(``Endpoint.Ports``, falling back to ``Endpoint.Spec.Ports`` and ``Spec.EndpointSpec.Ports``):

- ``PublishMode`` ``ingress`` (the default) publishes through the routing mesh on all
  interfaces of every node in the swarm: ``fail``;
- ``host`` publishes on all interfaces of the nodes that run a task: ``warn`` (narrower, and a
  host firewall on those nodes can restrict it);
- services without published ports pass.

CIS 7.2 also covers the swarm's own listeners (2377/tcp, 7946): their listen address is given
at ``docker swarm init/join --listen-addr`` and is not reported by the API; check it on the
host (``ss -ltnp``).
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, failed, passed, swarm_rule, warned
from seawall.audit.rules.swarm._state import dig, service_name, services
from seawall.facts import AuditFacts
from seawall.model import Severity


def published_ports(service: dict[str, Any]) -> list[dict[str, Any]]:
    """The service's published ports, as assigned if known, else as specified."""
    for path in (
        ("Endpoint", "Ports"),
        ("Endpoint", "Spec", "Ports"),
        ("Spec", "EndpointSpec", "Ports"),
    ):
        ports = dig(service, *path)
        if isinstance(ports, list) and ports:
            return [p for p in ports if isinstance(p, dict)]
    return []


def _show(port: dict[str, Any], mode: str) -> str:
    published = port.get("PublishedPort") or "auto"
    return f"{published}->{port.get('TargetPort', '?')}/{port.get('Protocol') or 'tcp'} ({mode})"


def _service_verdict(service: dict[str, Any]) -> Verdict:
    name = service_name(service)
    target = f"service/{name}"
    ingress: list[str] = []
    host: list[str] = []
    for port in published_ports(service):
        mode = str(port.get("PublishMode") or "ingress")
        (host if mode == "host" else ingress).append(_show(port, mode))
    if ingress:
        return failed(
            "service publishes ports through the routing mesh on all interfaces of every node",
            *ingress,
            *host,
            target=target,
        )
    if host:
        return warned(
            "service publishes ports on all interfaces of the nodes running its tasks",
            *host,
            target=target,
        )
    return passed("service publishes no ports", target=target)


@swarm_rule(
    id="SW002",
    title="Swarm service publishes ports on all interfaces",
    severity=Severity.MEDIUM,
    rationale=(
        "A port published by a swarm service listens on every interface, including public "
        "ones, and with the routing mesh on every node of the swarm; services reachable on "
        "interfaces that are not meant to carry their traffic bypass the screening placed on "
        "the intended ones."
    ),
    remediation=(
        "Publish only what must be reachable; put a load balancer or proxy bound to the right "
        "interface in front of internal services, use --publish mode=host with a host "
        "firewall where a port must be exposed, and bind the swarm listeners with "
        "docker swarm init/join --listen-addr <interface address>."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.2",),
    tags=("swarm", "network"),
)
def check(facts: AuditFacts) -> Verdict | list[Verdict]:
    """One verdict per service: fail for ingress-published ports, warn for host mode."""
    listed = services(facts)
    if isinstance(listed, Verdict):
        return listed
    if not listed:
        return passed("no swarm services")
    return [_service_verdict(s) for s in listed]
