"""LC003: images should be rebuilt regularly (image age; beyond CIS).

Fails when the image's ``Created`` is more than ``settings.image_max_age_days`` (default 90)
before the audit clock. ``Created`` is when the image config was written: the build time, or
the import time for ``docker import`` (so an imported old filesystem looks new). Images built
reproducibly with ``SOURCE_DATE_EPOCH=0`` (or with no date) carry the Unix epoch or Go's zero
time: their age is unknown and the rule skips them.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, failed, image_rule, passed, skipped
from seawall.audit.rules.lifecycle._timestamps import (
    age_days,
    days_text,
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
    now = parse_timestamp(facts.collected_at)
    if now is None:
        return errored(f"audit clock is not an RFC 3339 timestamp: {facts.collected_at!r}")
    created = parse_timestamp(image.created)
    if created is None:
        return errored(f"image creation time not usable: {image.created!r}")
    if is_placeholder(created):
        return skipped(
            f"image has no real creation date (Created={image.created}, e.g. a reproducible build)"
        )
    days = age_days(created, now)
    shown = f"Created={image.created} ({days_text(days)} before the audit)"
    if days > limit:
        return failed(f"image is {days_text(days)} old (limit {days_text(limit)})", shown)
    return passed(f"image is {days_text(days)} old (limit {days_text(limit)})", shown)
