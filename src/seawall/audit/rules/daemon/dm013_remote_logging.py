"""DM013: container logs go to a central or remote log service (CIS Docker 1.6.0, 2.13).

Runtime truth: ``/info`` LoggingDriver. ``json-file``, ``local`` and ``none`` keep logs on the
host (or nowhere); every other driver (syslog, journald, gelf, fluentd, awslogs, splunk ...)
ships them to a collector.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import reference, runtime_setting
from seawall.facts import AuditFacts
from seawall.model import Severity

#: Log drivers that keep logs on the host or discard them.
LOCAL_DRIVERS = frozenset({"json-file", "local", "none", ""})


@daemon_rule(
    id="DM013",
    title="Container logs are not sent to a central log service",
    severity=Severity.LOW,
    rationale=(
        "Logs kept only on the host can be lost with it or altered by whoever compromises "
        "it; a central service keeps them for investigation and alerting."
    ),
    remediation=(
        'Set "log-driver" (and "log-opts") in daemon.json to a remote driver such as syslog, '
        "journald forwarded off the host, gelf, fluentd, awslogs or splunk."
    ),
    references=reference("2.13"),
    tags=("logging",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when the default log driver keeps logs locally."""
    setting = runtime_setting(facts, "log-driver")
    if isinstance(setting, Verdict):
        return setting
    driver = str(setting.value or "")
    if driver.lower() in LOCAL_DRIVERS:
        return failed(
            f"default log driver {driver or '(none)'} keeps logs on the host", *setting.evidence
        )
    return passed(f"default log driver {driver} sends logs off the host", *setting.evidence)
