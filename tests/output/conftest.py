"""One fixed Report for every writer test and golden file.

It has rules from several sections and every outcome (pass, fail, warn, info, manual, skip,
error), a suppressed result, a manual control with its reason, a run error, a note, a
deselection, a location with a line, and evidence with quotes, unicode and HTML.
"""

from __future__ import annotations

import pytest

from seawall.model import (
    Control,
    Location,
    Outcome,
    Report,
    Result,
    RuleMeta,
    RunError,
    Severity,
    Suppression,
    ToolInfo,
)
from seawall.model.rule import RuleId

SECTIONS = {
    "1": "Host Configuration",
    "2": "Docker daemon configuration",
    "3": "Docker daemon configuration files",
    "4": "Container Images and Build File",
    "5": "Container Runtime",
    "6": "Docker Security Operations",
    "7": "Docker Swarm Configuration",
    "LC": "Lifecycle (beyond CIS)",
}

HOSTILE = "<script>alert('x')</script> & \"quoted\" naïve ✓ 日本"


def meta(
    rid: str,
    title: str,
    severity: Severity,
    scope: str,
    *,
    cis: str | None = None,
    informational: bool = False,
) -> RuleMeta:
    """A rule's metadata with generated rationale and remediation texts."""
    return RuleMeta(
        id=RuleId(rid),
        title=title,
        severity=severity,
        scope=scope,
        rationale=f"Why {rid} matters: {title.lower()} weakens isolation.",
        remediation=f"How to fix {rid}: change the setting named in the evidence.",
        references=(f"CIS Docker Benchmark v1.6.0, {cis}",) if cis else (),
        tags=("hardening",),
        informational=informational,
    )


RULES = (
    meta("HO001", "Containers share the root partition", Severity.MEDIUM, "host", cis="1.1.1"),
    meta("DM001", "Inter-container traffic is not restricted", Severity.HIGH, "daemon", cis="2.2"),
    meta("FP001", "docker.service is not owned by root", Severity.MEDIUM, "host", cis="3.1"),
    meta("FP002", "docker.socket is not owned by root", Severity.MEDIUM, "host", cis="3.3"),
    meta("IM003", "Content trust is not enforced", Severity.LOW, "host", cis="4.5"),
    meta("RT005", "Container runs in privileged mode", Severity.CRITICAL, "container", cis="5.5"),
    meta("RT012", "Container can gain new privileges", Severity.HIGH, "container", cis="5.26"),
    meta(
        "SO001",
        "Image and container inventory",
        Severity.INFO,
        "daemon",
        cis="6.1",
        informational=True,
    ),
    meta("LC002", "Container is older than the allowed age", Severity.LOW, "container"),
)


def _r(
    rid: str,
    target: str,
    outcome: Outcome,
    message: str,
    section: str,
    controls: tuple[str, ...],
    *,
    evidence: tuple[str, ...] = (),
    location: Location | None = None,
    reason: str | None = None,
    suppression: Suppression | None = None,
) -> Result:
    sev = next(m.severity for m in RULES if m.id == rid)
    return Result(
        rid,
        target,
        outcome,
        message,
        sev,
        section,
        controls,
        evidence,
        location,
        reason,
        suppression,
    )


RESULTS = (
    _r(
        "HO001",
        "host",
        Outcome.FAIL,
        "/var/lib/docker is on the root filesystem",
        "1",
        ("1.1.1",),
        evidence=("/var/lib/docker -> / (ext4)",),
        location=Location("/var/lib/docker"),
    ),
    _r(
        "DM001",
        "daemon",
        Outcome.FAIL,
        "inter-container communication is enabled",
        "2",
        ("2.2",),
        evidence=('"icc": true',),
        location=Location("/etc/docker/daemon.json", 3),
    ),
    _r(
        "FP001",
        "host",
        Outcome.PASS,
        "owned by root:root",
        "3",
        ("3.1",),
        location=Location("/lib/systemd/system/docker.service"),
    ),
    _r(
        "FP002",
        "host",
        Outcome.SKIP,
        "docker.socket does not exist on this host",
        "3",
        ("3.3",),
        reason="docker.socket does not exist on this host",
        location=Location("/lib/systemd/system/docker.socket"),
    ),
    _r(
        "IM003",
        "host",
        Outcome.MANUAL,
        "content trust is a client setting",
        "4",
        ("4.5",),
        reason="content trust is a client setting: check DOCKER_CONTENT_TRUST where images are pulled",
    ),
    _r(
        "RT005",
        "container/web",
        Outcome.FAIL,
        "container runs privileged",
        "5",
        ("5.5",),
        evidence=("HostConfig.Privileged=true",),
        location=Location("docker://container/web"),
    ),
    _r(
        "RT005",
        "container/db",
        Outcome.PASS,
        "container is not privileged",
        "5",
        ("5.5",),
        location=Location("docker://container/db"),
    ),
    _r(
        "RT005",
        "container/legacy",
        Outcome.FAIL,
        "container runs privileged",
        "5",
        ("5.5",),
        evidence=("HostConfig.Privileged=true",),
        location=Location("docker://container/legacy"),
        suppression=Suppression(
            ".seawallignore:3", "legacy CI runner needs it; tracked in OPS-12", "2031-01-31"
        ),
    ),
    _r(
        "RT012",
        "container/web",
        Outcome.WARN,
        f"no-new-privileges is not set; label says {HOSTILE}",
        "5",
        ("5.26",),
        evidence=("SecurityOpt=[]", f"Labels.note={HOSTILE}"),
        location=Location("docker://container/web"),
    ),
    _r(
        "RT012",
        "container/db",
        Outcome.ERROR,
        "could not read SecurityOpt: permission denied",
        "5",
        ("5.26",),
        reason="could not read SecurityOpt: permission denied",
        location=Location("docker://container/db"),
    ),
    _r(
        "SO001",
        "daemon",
        Outcome.INFO,
        "3 images, 3 containers",
        "6",
        ("6.1",),
        evidence=("images: nginx:1.25, postgres:16, busybox:latest", "containers: web, db, legacy"),
    ),
    _r(
        "LC002",
        "container/web",
        Outcome.FAIL,
        "container is 45 days old (allowed: 30)",
        "LC",
        (),
        evidence=("Created=2024-03-17T09:00:00Z",),
        location=Location("docker://container/web"),
    ),
    _r(
        "LC002",
        "container/db",
        Outcome.PASS,
        "container is 3 days old (allowed: 30)",
        "LC",
        (),
        location=Location("docker://container/db"),
    ),
)

CONTROLS = (
    Control(
        "1.1.1",
        "Ensure a separate partition for containers has been created",
        "1",
        "automated",
        ("HO001",),
        Outcome.FAIL,
    ),
    Control(
        "2.2",
        "Ensure network traffic is restricted between containers on the default bridge",
        "2",
        "automated",
        ("DM001",),
        Outcome.FAIL,
    ),
    Control(
        "2.9",
        "Enable user namespace support",
        "2",
        "automated",
        (),
        Outcome.MANUAL,
        "Whether user namespaces suit the workloads needs a human decision.",
    ),
    Control(
        "3.1",
        "Ensure that the docker.service file ownership is set to root:root",
        "3",
        "automated",
        ("FP001",),
        Outcome.PASS,
    ),
    Control(
        "3.3",
        "Ensure that docker.socket file ownership is set to root:root",
        "3",
        "automated",
        ("FP002",),
        Outcome.SKIP,
    ),
    Control(
        "4.5",
        "Ensure Content trust for Docker is Enabled",
        "4",
        "automated",
        ("IM003",),
        Outcome.MANUAL,
    ),
    Control(
        "5.5",
        "Ensure that privileged containers are not used",
        "5",
        "automated",
        ("RT005",),
        Outcome.FAIL,
    ),
    Control(
        "5.26",
        "Ensure that container processes are restricted from acquiring additional privileges",
        "5",
        "automated",
        ("RT012",),
        Outcome.ERROR,
    ),
    Control("6.1", "Ensure that image sprawl is avoided", "6", "manual", ("SO001",), Outcome.INFO),
)


def sample_report() -> Report:
    """The fixed report behind every golden file."""
    return Report(
        tool=ToolInfo("seawall", "0.1.0", "audit"),
        generated_at="2024-05-01T12:00:00Z",
        rules=RULES,
        results=RESULTS,
        controls=CONTROLS,
        errors=(
            RunError("engine unix:///var/run/docker.sock", "cannot list images: permission denied"),
        ),
        benchmark="CIS Docker Benchmark v1.6.0",
        targets=tuple(sorted({r.target for r in RESULTS})),
        deselected=("7.1", "7.2"),
        sections=dict(SECTIONS),
        notes=("container/old disappeared during the audit and was not checked",),
    )


@pytest.fixture
def report() -> Report:
    """The fixed sample report."""
    return sample_report()
