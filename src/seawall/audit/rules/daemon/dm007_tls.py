"""DM007: every TCP listener of the daemon requires TLS client authentication (CIS Docker
1.6.0, 2.7).

TCP listeners are the ``-H``/``hosts`` entries with a ``tcp://`` scheme or none
(``0.0.0.0:2375``), plus the audited endpoint itself when it is TCP. They pass only with
``tlsverify`` and the three TLS files (CA, certificate, key). A daemon listening only on unix
sockets (or ``fd://``) passes. Limitation: TCP sockets that systemd hands over through
``fd://`` are not visible in the daemon's settings.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, failed, passed
from seawall.audit.rules.daemon._common import config, flag_setting, reference, show
from seawall.facts import AuditFacts
from seawall.facts.daemon_config import tcp_hosts
from seawall.model import Severity

TLS_FILES = ("tlscacert", "tlscert", "tlskey")


@daemon_rule(
    id="DM007",
    title="Daemon listens on TCP without TLS client authentication",
    severity=Severity.CRITICAL,
    rationale=(
        "The Docker API is root on the host. On a TCP socket without TLS client "
        "certificates anyone who can reach the port can start a privileged container."
    ),
    remediation=(
        "Listen on TCP only with --tlsverify and --tlscacert, --tlscert, --tlskey (or "
        '"tlsverify": true and the three files in daemon.json), or remove the TCP host and '
        "use the unix socket or SSH."
    ),
    references=reference("2.7"),
    tags=("network", "authentication"),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail for TCP listeners without tlsverify and all three TLS files."""
    hosts = flag_setting(facts, "hosts")
    if isinstance(hosts, Verdict):
        return hosts
    cfg = config(facts)
    listeners = list(tcp_hosts(cfg.get_list("hosts")))
    audited = facts.daemon.endpoint
    if tcp_hosts([audited]) and audited not in listeners:
        listeners.append(audited)
    if not listeners:
        return passed("no TCP listener", *hosts.evidence)
    verify = cfg.get_bool("tlsverify") is True
    files = [f"{k}={show(cfg.get(k))} ({cfg.source(k)})" for k in TLS_FILES if cfg.get(k)]
    if verify and len(files) == len(TLS_FILES):
        return passed(
            "TCP listeners require TLS client certificates",
            *listeners,
            f"tlsverify=true ({cfg.source('tlsverify')})",
            *files,
        )
    if verify:
        problem = "tlsverify without all of --tlscacert, --tlscert, --tlskey"
    elif cfg.get_bool("tls"):
        problem = "TLS without client certificate verification"
    else:
        problem = "no TLS"
    return failed(f"daemon listens on TCP with {problem}", *(f"{h}: {problem}" for h in listeners))
