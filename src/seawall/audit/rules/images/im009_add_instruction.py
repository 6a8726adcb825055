"""IM009: COPY rather than ADD (CIS Docker 1.6.0, 4.9).

CIS 4.9 is a manual item about Dockerfiles; the image history answers it for the steps the
image records. ``ADD`` fetches URLs and unpacks archives implicitly, so its effect depends on
remote content and file types rather than on what the Dockerfile says:

- ``ADD`` of a remote source is a ``fail``: BuildKit records the URL
  (``ADD https://... /x # buildkit``; a ``--checksum`` pin downgrades it to ``warn``); the
  classic builder records a downloaded file as a bare digest (``ADD <sha256> in /x``), while
  local sources are ``file:``/``dir:``/``multi:`` digests;
- any other ``ADD`` is a ``warn``;
- except the base root filesystem: an ``ADD`` to ``/`` that makes the image's first filesystem
  layer (``ADD file:<sha256> in /`` or ``ADD rootfs.tar.gz / # buildkit``) is how base images
  are made, and has no COPY equivalent. ``docker import`` layers have no ``ADD`` at all.
"""

from __future__ import annotations

import re

from seawall.audit.model import Verdict, failed, image_rule, passed, warned
from seawall.audit.rules.images._history import Step, history_steps, step_text
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity

# Classic builder: ``<source> in <dest>``; a downloaded URL is a bare sha256 digest.
_CLASSIC = re.compile(r"^(?P<src>\S+) in (?P<dest>.*?)\s*$")
_BARE_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_REMOTE = ("http://", "https://", "git://", "git@", "ssh://")


def _parse_add(args: str) -> tuple[list[str], str, bool]:
    """``(sources, destination, checksum pinned)`` of an ADD step's arguments."""
    m = _CLASSIC.match(args)
    if m:
        return [m.group("src")], m.group("dest"), False
    words = args.split()
    flags = [w for w in words if w.startswith("--")]
    plain = [w for w in words if not w.startswith("--")]
    pinned = any(f.startswith("--checksum=") for f in flags)
    if len(plain) < 2:
        return plain, "", pinned
    return plain[:-1], plain[-1], pinned


def _is_remote(source: str) -> bool:
    return source.lower().startswith(_REMOTE) or bool(_BARE_DIGEST.match(source))


def _is_base_rootfs(step: Step, first_layer: int | None) -> bool:
    _, dest, _ = _parse_add(step.args)
    return step.number == first_layer and dest.rstrip("/.") == ""


@image_rule(
    id="IM009",
    title="Image was built with ADD instead of COPY",
    severity=Severity.LOW,
    rationale=(
        "ADD silently downloads URLs (without integrity checks unless pinned) and unpacks "
        "local archives; COPY only copies, so the result is what the Dockerfile says."
    ),
    remediation=(
        "Use COPY for local files; fetch remote files in a RUN step with checksum "
        "verification (curl -fsSLo f URL && echo 'SHA256  f' | sha256sum -c -), or use "
        "ADD --checksum=sha256:... with BuildKit."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.9",),
    tags=("build", "supply-chain"),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail on ADD of remote sources, warn on other ADD steps (base rootfs excepted)."""
    all_steps = history_steps(image)
    if isinstance(all_steps, Verdict):
        return all_steps
    first_layer = next((s.number for s in all_steps if s.layer), None)
    remote, local = [], []
    for s in all_steps:
        if s.keyword != "ADD" or _is_base_rootfs(s, first_layer):
            continue
        sources, _, pinned = _parse_add(s.args)
        shown = step_text(s)
        if any(_is_remote(src) for src in sources) and not pinned:
            remote.append(shown)
        else:
            local.append(shown)
    if remote:
        return failed("an ADD step fetches remote content without a checksum", *remote, *local)
    if local:
        return warned("the image was built with ADD instructions; prefer COPY", *local)
    return passed("no ADD step beyond the base root filesystem")
