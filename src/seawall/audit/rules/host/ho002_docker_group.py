"""HO002: who is in the ``docker`` group (CIS Docker 1.6.0, 1.1.2).

Membership of ``docker`` grants the Docker API socket, which is root on the host. Seawall cannot
know whom you trust, so it warns and lists the members when the group has any member other than
root (explicit members and users whose primary group is ``docker``), and passes when there are
none.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, host_rule, passed, warned
from seawall.facts import AuditFacts
from seawall.model import Severity


@host_rule(
    id="HO002",
    title="Members of the docker group control the daemon",
    severity=Severity.HIGH,
    rationale=(
        "Anyone who can use the Docker socket can start a privileged container with the host's "
        "root filesystem mounted: docker group membership is root without a password prompt or "
        "sudo log. Only people you would give root should be in it. Seawall cannot tell whom "
        "you trust, so it lists the members for review."
    ),
    remediation=(
        "Remove untrusted users with `gpasswd -d USER docker` (and change the primary group of "
        "users whose primary group is docker); grant access with sudo or an authorization "
        "plugin instead."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.2",),
    tags=("access",),
)
def check(facts: AuditFacts) -> Verdict:
    """Warn listing the docker group's non-root members; pass when it has none."""
    members = facts.host.docker_group_members
    if members is None:
        why = facts.host.errors.get("groups", "no reason recorded")
        return errored(f"docker group members could not be read: {why}", target="group/docker")
    others = [m for m in members if m != "root"]
    if not others:
        if facts.host.docker_gid is None:
            return passed("there is no docker group", target="group/docker")
        return passed(
            "the docker group has no members besides root", *members, target="group/docker"
        )
    return warned(
        f"{len(others)} user(s) in the docker group can control the daemon (effectively root): "
        + ", ".join(others),
        *(f"member {m}" for m in members),
        target="group/docker",
    )
