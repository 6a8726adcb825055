"""IM006: images should define a HEALTHCHECK (CIS Docker 1.6.0, 4.6).

Reads the image config's ``Healthcheck``. No healthcheck, an empty test (``[]``, which only
means "inherit" and there is nothing above an image to inherit from) or ``["NONE"]`` (an
explicit ``HEALTHCHECK NONE``) all leave the engine unable to tell a hung service from a
healthy one.
"""

from __future__ import annotations

import json

from seawall.audit.model import Verdict, failed, image_rule, passed
from seawall.audit.rules._secrets import redact
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity


@image_rule(
    id="IM006",
    title="Image has no HEALTHCHECK",
    severity=Severity.LOW,
    rationale=(
        "A healthcheck lets the engine and orchestrators detect a container whose process is "
        "alive but no longer serving, and restart or replace it; without one a hung or "
        "compromised service keeps reporting as running."
    ),
    remediation=(
        "Add a HEALTHCHECK instruction to the Dockerfile that probes the service "
        "(e.g. HEALTHCHECK CMD wget -q --spider http://localhost:8080/health || exit 1)."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.6",),
    tags=("availability",),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail when the image has no healthcheck or disables it."""
    test = image.healthcheck
    if test is None or not test:
        return failed("image defines no HEALTHCHECK", "Config.Healthcheck is not set")
    if test[0].upper() == "NONE":
        return failed(
            "image disables its healthcheck (HEALTHCHECK NONE)", 'Healthcheck.Test=["NONE"]'
        )
    # The probe command may carry credentials (curl -u user:pass): never show them.
    return passed(
        "image defines a HEALTHCHECK", redact(f"Healthcheck.Test={json.dumps(list(test))}")
    )
