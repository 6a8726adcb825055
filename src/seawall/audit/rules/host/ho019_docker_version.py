"""HO019: report the kernel, engine, containerd and runc versions (CIS Docker 1.6.0, 1.2.2).

Informational. Seawall runs offline and does not look up the latest releases, so it reports the
versions (``GET /version`` ``Components`` and ``Version``; the kernel from the host or the
engine) for a human to compare with the vendor's supported releases.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.model import Verdict, errored, host_rule, informational
from seawall.facts import AuditFacts
from seawall.model import Severity


def _components(version: dict[str, Any]) -> list[str]:
    comps = version.get("Components")
    out = [
        f"{c['Name']} {c.get('Version') or '(unknown)'}"
        for c in (comps if isinstance(comps, list) else [])
        if isinstance(c, dict) and c.get("Name")
    ]
    # Engines before API 1.35 have no Components: fall back to the top-level Version.
    if not out and version.get("Version"):
        out.append(f"Engine {version['Version']}")
    return out


@host_rule(
    id="HO019",
    title="Docker and runtime versions",
    severity=Severity.INFO,
    rationale=(
        "Engine, containerd and runc releases fix container escapes (runc CVE-2019-5736 and "
        "CVE-2024-21626 among them). Knowing exactly what runs is the first step of keeping it "
        "patched. Seawall works offline, so it reports versions and does not judge whether they "
        "are the latest."
    ),
    remediation=(
        "Compare the reported versions with your distribution's or Docker's supported releases "
        "and security advisories; upgrade through the package manager after testing."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.2.2",),
    tags=("patching",),
    informational=True,
)
def check(facts: AuditFacts) -> Verdict:
    """Report the versions; error when the engine could not be asked."""
    engine = facts.engine
    if engine is None:
        return errored(
            f"engine not reachable, versions unknown: {facts.engine_error or 'unknown error'}"
        )
    evidence = _components(engine.version)
    kernel = (
        facts.host.kernel or engine.info.get("KernelVersion") or engine.version.get("KernelVersion")
    )
    if kernel:
        evidence.append(f"kernel {kernel}")
    os_name = facts.host.os_release.get("PRETTY_NAME") or engine.info.get("OperatingSystem")
    if os_name:
        evidence.append(f"os {os_name}")
    server = engine.version.get("Version") or "(unknown)"
    return informational(
        f"Docker Engine {server}; compare with your vendor's supported releases "
        "(seawall runs offline and does not check for newer versions)",
        *evidence,
    )
