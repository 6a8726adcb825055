"""DM003: the daemon logs at level ``info`` (CIS Docker 1.6.0, 2.3).

``debug`` logs too much (and may log secrets), ``warn`` and above lose the events an
investigation needs. ``-D``/``debug`` forces debug whatever ``log-level`` says; ``/info``
reports it, so a debug daemon is found even when its flags are not visible.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import config, flag_setting, reference
from seawall.facts import AuditFacts
from seawall.model import Severity


@daemon_rule(
    id="DM003",
    title="Daemon log level is not info",
    severity=Severity.LOW,
    rationale=(
        "At info the daemon records the events needed to investigate an incident; debug "
        "floods the logs with detail that can include sensitive data, and warn or higher "
        "drops events that matter."
    ),
    remediation=(
        'Remove "debug" and set "log-level": "info" in daemon.json (or drop -D/--debug and '
        "--log-level from the dockerd command line)."
    ),
    references=reference("2.3"),
    tags=("logging",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when debug mode is on or log-level is anything but info."""
    cfg = config(facts)
    if facts.engine is not None and cfg.source("debug") == "info" and cfg.get_bool("debug"):
        return failed("daemon runs in debug mode", "debug=true (info)")
    level = flag_setting(facts, "log-level")
    if isinstance(level, Verdict):
        return level
    debug = flag_setting(facts, "debug")
    if not isinstance(debug, Verdict) and debug.value is True:
        return failed("daemon runs in debug mode", *debug.evidence)
    if str(level.value).lower() != "info":
        return failed(f"daemon log level is {level.value}, not info", *level.evidence)
    return passed("daemon logs at level info", *level.evidence)
