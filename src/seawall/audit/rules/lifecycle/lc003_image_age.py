"""LC003: images should be rebuilt regularly (image age; beyond CIS).

Fails when the image's ``Created`` is more than ``settings.image_max_age_days`` (default 90)
before the audit clock. ``Created`` is when the image config was written: the build time, or
the import time for ``docker import`` (so an imported old filesystem looks new). Images built
reproducibly with ``SOURCE_DATE_EPOCH=0`` (or with no date) carry the Unix epoch or Go's zero
time: their age is unknown and the rule skips them.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, image_rule, skipped
from seawall.audit.rules.lifecycle._timestamps import (
    age_days,
    age_verdict,
    audit_clock,
    is_placeholder,
    parse_timestamp,
)
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity


@image_rule(
    id="LC003",
    title="Image is older than the maximum age",
    severity=Severity.MEDIUM,
    rationale=(
        "An image not rebuilt for months carries every package vulnerability fixed since it "
        "was built; regular rebuilds from updated bases are how fixes reach containers."
    ),
    remediation=(
        "Rebuild images on a schedule (and when the base image changes), pull fresh copies, "
        "remove outdated ones, or raise image_max_age_days if a longer cycle is your policy."
    ),
    references=("Beyond CIS: rebuild cadence (complements CIS 4.4)",),
    tags=("lifecycle", "patching"),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail when the image was created more than image_max_age_days ago."""
    limit = facts.settings.image_max_age_days
    now = audit_clock(facts.collected_at)
    if isinstance(now, Verdict):
        return now
    created = parse_timestamp(image.created)
    if created is None:
        return errored(f"image creation time not usable: {image.created!r}")
    if is_placeholder(created):
        return skipped(
            f"image has no real creation date (Created={image.created}, e.g. a reproducible build)"
        )
    return age_verdict("image", image.created, age_days(created, now), limit)
