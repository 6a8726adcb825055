"""SW001: no more swarm managers than needed (CIS Docker 1.6.0, 7.1).

Managers hold the cluster state and its secrets, so each one is attack surface; raft needs a
majority of them, so only an odd count adds fault tolerance. Read from ``GET /info``
``Swarm.Managers`` (reported on managers) or, on a worker, the ``Swarm.RemoteManagers`` it
knows. Judgement, documented in the rule text:

- an even count fails: N managers tolerate as many failures as N-1 (3 and 4 both tolerate 1),
  so one of them is an extra target with no benefit;
- more than 7 fails: Docker advises at most 7, more only slows consensus;
- 1, 3, 5 or 7 pass (1 has no fault tolerance, which is an availability choice, not a security
  finding).
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, failed, passed, swarm_rule
from seawall.audit.rules.swarm._state import not_applicable, swarm_info
from seawall.facts import AuditFacts
from seawall.model import Severity

#: Docker's advice for the largest useful manager count.
MAX_MANAGERS = 7


@swarm_rule(
    id="SW001",
    title="Swarm has more manager nodes than needed",
    severity=Severity.LOW,
    rationale=(
        "Every manager stores the full cluster state, including secrets, and can change it; "
        "managers beyond an odd count of at most 7 add attack surface without adding fault "
        "tolerance."
    ),
    remediation=(
        "Keep an odd number of managers (3 or 5 for most clusters) and demote the extra ones "
        "with docker node demote <node>."
    ),
    references=("CIS Docker Benchmark v1.6.0, 7.1",),
    tags=("swarm",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail on an even manager count or more than 7 managers."""
    gate = not_applicable(facts)
    if gate is not None:
        return gate
    info = swarm_info(facts)
    managers = info.get("Managers")
    source = "Swarm.Managers"
    if not isinstance(managers, int) or isinstance(managers, bool) or managers <= 0:
        remote = info.get("RemoteManagers")
        managers = len(remote) if isinstance(remote, list) and remote else None
        source = "Swarm.RemoteManagers"
    if managers is None:
        return errored("the engine reported no manager count (Swarm.Managers or RemoteManagers)")
    evidence = [f"{source}={managers}"]
    if isinstance(info.get("Nodes"), int):
        evidence.append(f"Swarm.Nodes={info['Nodes']}")
    tolerated = (managers - 1) // 2
    if managers > MAX_MANAGERS:
        return failed(
            f"{managers} managers: more than {MAX_MANAGERS} only slows consensus", *evidence
        )
    if managers % 2 == 0:
        return failed(
            f"{managers} managers: an even count tolerates no more failures ({tolerated}) than "
            f"{managers - 1} managers",
            *evidence,
        )
    return passed(f"{managers} manager(s), tolerating {tolerated} manager failure(s)", *evidence)
