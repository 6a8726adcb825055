"""IM008: images should not ship setuid/setgid files (CIS Docker 1.6.0, 4.8).

Reads ``ImageFacts.setuid_files``: the paths with the setuid or setgid bit found while
streaming the image's filesystem (whiteouts applied). When the filesystem was not examined
``setuid_reason`` says why: a reason starting with ``error:`` (``SETUID_ERROR_PREFIX``) means
it could not be read (``error``); any other reason means it was not asked for (``skip``).
Found files are a ``warn``: some (``su``, ``passwd``) are expected in general-purpose base
images, and only a human can say which ones the workload needs.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, image_rule, passed, skipped, warned
from seawall.audit.rules._evidence import capped
from seawall.facts import AuditFacts, ImageFacts
from seawall.facts.image import SETUID_ERROR_PREFIX
from seawall.model import Severity

#: How many paths are listed as evidence; the rest are counted.


@image_rule(
    id="IM008",
    title="Image contains setuid or setgid files",
    severity=Severity.MEDIUM,
    rationale=(
        "A setuid/setgid executable runs with its owner's or group's privileges whoever starts "
        "it; in a container it is a ready-made path from an unprivileged process to root if "
        "the binary has a flaw or can be abused."
    ),
    remediation=(
        "Remove the bits in the Dockerfile of files the workload does not need "
        "(RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true), and run "
        "containers with --security-opt no-new-privileges."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.8",),
    tags=("least-privilege", "filesystem"),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Warn listing the setuid/setgid paths found in the image filesystem."""
    files = image.setuid_files
    if files is None:
        reason = image.setuid_reason or "image filesystem not examined"
        if reason.startswith(SETUID_ERROR_PREFIX):
            detail = reason[len(SETUID_ERROR_PREFIX) :].strip() or "unknown error"
            return errored(f"image filesystem could not be read: {detail}")
        return skipped(reason)
    if not files:
        return passed("no setuid or setgid files in the image")
    return warned(f"image contains {len(files)} setuid/setgid file(s)", *capped(sorted(files)))
