"""RT032: the Docker socket must not be mounted into a container (CIS Docker 1.6.0, 5.32).

``fail`` for a bind mount whose source is the engine's socket (``/var/run/docker.sock``,
``/run/docker.sock``, or the audited endpoint's ``unix://`` path) or a directory that contains
it (``/run``, ``/var/run``, ``/``). ``/var/run`` is a symlink to ``/run`` on current
distributions, so both spellings are compared after folding one onto the other.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import bind_mounts, clean_path, is_within, mount_str
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

_DEFAULT_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def fold_var_run(path: str) -> str:
    """``/var/run/x`` -> ``/run/x`` (the FHS symlink), other paths unchanged."""
    path = clean_path(path)
    if is_within(path, "/var/run"):
        return "/run" + path[len("/var/run") :]
    return path


def socket_paths(facts: AuditFacts) -> tuple[str, ...]:
    """The engine's socket paths: the defaults plus any ``unix://`` endpoint being audited."""
    endpoints = [facts.daemon.endpoint]
    if facts.engine is not None:
        endpoints.append(facts.engine.endpoint)
    paths = [
        *_DEFAULT_SOCKETS,
        *(ep[len("unix://") :] for ep in endpoints if ep.startswith("unix://")),
    ]
    return tuple(dict.fromkeys(fold_var_run(p) for p in paths if p))


def exposes_socket(source: str, sockets: tuple[str, ...]) -> bool:
    """True when a host path is a socket path or one of its parent directories."""
    src = fold_var_run(source)
    return bool(src) and any(is_within(sock, src) for sock in sockets)


@container_rule(
    id="RT032",
    title="Docker socket is mounted into the container",
    severity=Severity.CRITICAL,
    rationale=(
        "Whoever can talk to the Docker socket controls the engine: from inside the container "
        "they can start a privileged container with the host's root filesystem mounted, i.e. "
        "take over the host."
    ),
    remediation=(
        "Remove the socket (or its directory) from the container's mounts; if a tool truly needs "
        "the API, put an authorising proxy in front of it that allows only the calls it needs."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.32",),
    tags=("isolation", "docker-socket"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when a bind mount exposes the engine's socket."""
    sockets = socket_paths(facts)
    hits = [m for m in bind_mounts(c) if exposes_socket(m.source, sockets)]
    if hits:
        sources = ", ".join(dict.fromkeys(m.source for m in hits))
        return failed(
            f"Docker socket exposed through mount of {sources}", *(mount_str(m) for m in hits)
        )
    return passed("the Docker socket is not mounted")
