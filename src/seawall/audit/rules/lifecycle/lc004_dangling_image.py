"""LC004: no dangling images (beyond CIS).

A dangling image has no tag (``<none>:<none>``): usually the previous build of a tag that was
rebuilt, or a layer of a failed build. It is not what any name refers to, so nobody updates
it, yet containers can still be started from its ID.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, failed, image_rule, passed
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity


@image_rule(
    id="LC004",
    title="Dangling (untagged) image",
    severity=Severity.LOW,
    rationale=(
        "Untagged images are superseded builds nobody maintains; they keep old vulnerable "
        "packages on the host and in backups and make the image inventory harder to review."
    ),
    remediation="Remove dangling images (docker image prune) after checking no container needs them.",
    references=("Beyond CIS: image hygiene (complements CIS 6.1)",),
    tags=("lifecycle", "inventory"),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail when the image has no tag."""
    if image.dangling:
        shown = [f"RepoDigests={list(image.digests)}"] if image.digests else ["RepoTags=[]"]
        return failed("image has no tag (dangling)", *shown)
    return passed("image is tagged", *image.tags[:5])
