"""RT026: containers should not be able to gain privileges (no-new-privileges) (CIS Docker 1.6.0, 5.26).

``pass`` when the container sets ``no-new-privileges`` (bare, ``:true`` or ``=true``; dockerd
parses the value like Go's ``strconv.ParseBool`` and the last occurrence wins), or when it sets
nothing and the daemon's default (``no-new-privileges`` in the effective daemon configuration)
is on. An explicit ``no-new-privileges:false`` overrides the daemon default. Else ``fail``;
``warn`` when the daemon default could not be read.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, container_rule, failed, passed, warned
from seawall.audit.rules.containers._common import go_bool
from seawall.facts import AuditFacts, ContainerFacts
from seawall.facts.daemon_config import effective_config
from seawall.model import Severity

_KEY = "no-new-privileges"


def container_setting(security_opt: tuple[str, ...]) -> tuple[bool, str] | None:
    """The container's own no-new-privileges setting and the option that set it, if any."""
    found: tuple[bool, str] | None = None
    for opt in security_opt:
        if opt == _KEY:
            found = (True, opt)
        elif opt[: len(_KEY) + 1] in (f"{_KEY}:", f"{_KEY}="):
            value = go_bool(opt[len(_KEY) + 1 :])
            if value is not None:
                found = (value, opt)
    return found


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and go_bool(value) is True)


@container_rule(
    id="RT026",
    title="Container processes can gain new privileges",
    severity=Severity.MEDIUM,
    rationale=(
        "Without no-new-privileges a process in the container can gain privileges through "
        "setuid/setgid binaries or file capabilities, turning an unprivileged foothold into root."
    ),
    remediation=(
        "Start containers with --security-opt no-new-privileges, or set "
        '"no-new-privileges": true in daemon.json to make it the default.'
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.26",),
    tags=("least-privilege",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail unless no-new-privileges is on for the container, directly or by daemon default."""
    own = container_setting(c.security_opt)
    if own is not None:
        enabled, opt = own
        if enabled:
            return passed("container sets no-new-privileges", f"SecurityOpt {opt}")
        return failed("container turns no-new-privileges off", f"SecurityOpt {opt}")
    config = effective_config(facts.daemon, facts.engine)
    if _is_true(config.get(_KEY)):
        source = config.sources.get(_KEY, "daemon configuration")
        return passed("no-new-privileges is on by daemon default", f"{_KEY}=true ({source})")
    if not config.flags_known:
        return warned(
            "container does not set no-new-privileges and the daemon default is unknown: "
            f"{config.flags_reason or 'daemon configuration not readable'}",
            "SecurityOpt has no no-new-privileges",
        )
    return failed(
        "no-new-privileges is not set on the container or as the daemon default",
        "SecurityOpt has no no-new-privileges",
        f"daemon {_KEY}={str(bool(config.get(_KEY, False))).lower()}",
    )
