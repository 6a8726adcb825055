"""IM005: Docker content trust should be enabled (CIS Docker 1.6.0, 4.5).

Content trust is a client setting: the ``docker`` CLI verifies image signatures on pull, push,
build, create and run when ``DOCKER_CONTENT_TRUST`` is set. seawall can only see the variable
of its own process (``HostFacts.content_trust``), so the result speaks for the client session
that runs the audit, not for other users, shells, CI jobs or API clients (the engine itself
never enforces it). The value is read as the CLI reads it: unset or empty is off, a value Go's
``strconv.ParseBool`` reads as false (``0``, ``f``, ``false`` ...) is off, anything else is on.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, failed, host_rule, passed
from seawall.facts import AuditFacts
from seawall.model import Severity

#: Go strconv.ParseBool's false spellings; the CLI treats every other non-empty value as on.
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "False"})


def content_trust_enabled(value: str | None) -> bool:
    """True when the docker CLI would enable content trust for this DOCKER_CONTENT_TRUST value."""
    return bool(value) and value not in _FALSE


@host_rule(
    id="IM005",
    title="Docker content trust is not enabled for this client session",
    severity=Severity.MEDIUM,
    rationale=(
        "With content trust the docker client refuses unsigned or tampered images, so a "
        "compromised registry or network path cannot slip in a different image. It is a "
        "per-client setting: this result covers only the environment seawall runs in."
    ),
    remediation=(
        "Export DOCKER_CONTENT_TRUST=1 for every shell, service account and CI job that pulls, "
        "builds or runs images (e.g. in /etc/environment or the CI configuration), and sign "
        "the images you publish."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.5",),
    tags=("supply-chain", "client"),
)
def check(facts: AuditFacts) -> Verdict:
    """Pass when DOCKER_CONTENT_TRUST of the auditing process enables content trust."""
    value = facts.host.content_trust
    if content_trust_enabled(value):
        return passed(
            "content trust is enabled for this client session", f"DOCKER_CONTENT_TRUST={value}"
        )
    shown = "DOCKER_CONTENT_TRUST is not set" if value is None else f"DOCKER_CONTENT_TRUST={value}"
    return failed(
        "content trust is not enabled for this client session (other clients may differ)", shown
    )
