"""SO001: image sprawl (CIS Docker 1.6.0, 6.1), informational.

Reports how many images the engine holds, how many are dangling (no tag) and how many no
container (running or stopped) was created from, compared by image ID, with their total size.
Whether that is sprawl depends on the host's purpose, so the rule only reports.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, daemon_rule, informational
from seawall.audit.rules._engine import engine_with
from seawall.facts import AuditFacts
from seawall.model import Severity


def human_size(size: int) -> str:
    """Bytes as a short human figure (``1.2 GB``), decimal units like the docker CLI."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


@daemon_rule(
    id="SO001",
    title="Image sprawl",
    severity=Severity.INFO,
    rationale=(
        "Images nobody runs still hold old packages with known vulnerabilities, can be started "
        "by mistake and make it hard to tell what is in use; keeping only the images needed "
        "keeps the inventory reviewable."
    ),
    remediation=(
        "Review the unused and dangling images and remove the ones not needed "
        "(docker image prune, docker image prune -a for unused ones), ideally on a schedule."
    ),
    references=("CIS Docker Benchmark v1.6.0, 6.1",),
    tags=("inventory",),
    informational=True,
)
def check(facts: AuditFacts) -> Verdict:
    """Report counts of images, dangling images and images no container uses."""
    engine = engine_with(facts, "images", "images could not be listed")
    if isinstance(engine, Verdict):
        return engine
    used = {c.image_id for c in engine.containers}
    images = engine.images
    dangling = [i for i in images if i.dangling]
    unused = [i for i in images if i.id not in used]
    size = sum(i.size for i in images)
    unused_size = sum(i.size for i in unused)
    return informational(
        f"{len(images)} image(s), {len(dangling)} dangling, {len(unused)} not used by any container",
        f"images={len(images)} ({human_size(size)})",
        f"dangling={len(dangling)}",
        f"unused={len(unused)} ({human_size(unused_size)})",
        f"in use={len(images) - len(unused)}",
    )
