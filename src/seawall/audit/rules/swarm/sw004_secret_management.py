"""SW004: swarm secrets belong in docker secret, not in service specs (CIS Docker 1.6.0, 7.4).

CIS 7.4 is a manual item: whether every secret goes through ``docker secret`` is a question
about how services are deployed. seawall answers the part the service specs can show: a
service whose ``Spec.TaskTemplate.ContainerSpec`` passes a secret-looking value in ``Env``,
``Args`` or ``Command`` (same detector as IM010, values redacted) fails. Otherwise the item
stays ``manual``, with the number of services that do use swarm secrets in the reason.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, failed, manual, swarm_rule
from seawall.audit.rules._secrets import assignment_label, check_assignment, scan_text
from seawall.audit.rules.swarm._state import dig, service_name, services
from seawall.facts import AuditFacts
from seawall.model import Severity


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def service_secrets(service: dict[str, Any]) -> list[str]:
    """Redacted labels of secret-looking values in a service's container spec."""
    spec = dig(service, "Spec", "TaskTemplate", "ContainerSpec")
    out = []
    for item in _strings(dig(spec, "Env")):
        name, _, value = item.partition("=")
        kind = check_assignment(name, value)
        if kind:
            out.append(assignment_label("ENV", name, kind))
    command = " ".join(_strings(dig(spec, "Command")) + _strings(dig(spec, "Args")))
    out += [f"command {hit.label}" for hit in scan_text(command)]
    return list(dict.fromkeys(out))


@swarm_rule(
    id="SW004",
    title="Swarm service passes secrets outside docker secret",
    severity=Severity.HIGH,
    rationale=(
        "Values in a service's environment or command line are stored in the cluster state in "
        "clear, shown by docker service inspect to anyone with API access and copied into "
        "every task's container config; docker secret keeps them encrypted in the raft log "
        "and delivers them only to the tasks that need them, as in-memory files."
    ),
    remediation=(
        "Create the secret with docker secret create and grant it to the service "
        "(docker service update --secret-add NAME), reading it from /run/secrets/NAME "
        "(many images accept *_FILE variables); then remove the value from the service spec "
        "and rotate it."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.4",),
    tags=("swarm", "secrets"),
)
def check(facts: AuditFacts) -> Verdict | list[Verdict]:
    """Fail for services with secret-looking env/args; otherwise manual."""
    listed = services(facts)
    if isinstance(listed, Verdict):
        return listed
    found = []
    for service in listed:
        labels = service_secrets(service)
        if labels:
            name = service_name(service)
            found.append(
                failed(
                    "service passes secret-looking values in its spec instead of docker secret",
                    *labels,
                    target=f"service/{name}",
                )
            )
    if found:
        return found
    using = sum(1 for s in listed if dig(s, "Spec", "TaskTemplate", "ContainerSpec", "Secrets"))
    return manual(
        f"no service passes a secret-looking value in its spec ({using} of {len(listed)} use "
        "docker secret); whether all secrets are managed with docker secret needs a review of "
        "how services are deployed"
    )
