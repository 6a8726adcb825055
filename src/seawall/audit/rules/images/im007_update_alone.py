"""IM007: a package index update must not be a RUN step of its own (CIS Docker 1.6.0, 4.7).

CIS 4.7 is a manual item about Dockerfiles; the image history answers it for the steps the
image records. A ``RUN`` whose command refreshes a package index (``apt-get update``,
``apt update``, ``apk update``, ``yum``/``dnf makecache`` or ``check-update``,
``zypper refresh``, ``pacman -Sy``) without installing or upgrading in the same ``RUN`` is
reported: the builder caches that layer, so later builds install from a stale index and miss
security updates. Commands are split on shell separators and only a command word counts, so
``echo apt-get update`` is not an update. Steps inherited from the base image are included,
since they are part of the image.
"""

from __future__ import annotations

import re
import shlex

from seawall.audit.model import Verdict, failed, image_rule, passed
from seawall.audit.rules._evidence import capped
from seawall.audit.rules.images._history import history_steps, step_text
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity

_SEPARATORS = re.compile(r"&&|\|\||[;|&\n()`]")
# Words that may precede the command of a segment (``sudo``, ``then apt-get update``).
_PREFIX_WORDS = frozenset(
    {
        "sudo",
        "env",
        "command",
        "exec",
        "nice",
        "time",
        "then",
        "do",
        "else",
        "elif",
        "if",
        "while",
        "until",
        "!",
        "{",
    }
)
_APT_OPTS = frozenset({"-o", "-c", "-t", "--option", "--config-file", "--target-release"})
_RPM_OPTS = frozenset(
    {"-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "--installroot", "--releasever",
     "-x", "--exclude", "--enablerepo", "--disablerepo", "--repo", "--repoid", "--setopt"}
)  # fmt: skip
_ZYPPER_OPTS = frozenset(
    {"-R", "--root", "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir"}
)
_APK_OPTS = frozenset({"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir"})

# manager -> (options taking a separate value, index-update subcommands, install/upgrade subcommands)
_MANAGERS: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
for _name in ("apt-get", "apt", "aptitude"):
    _MANAGERS[_name] = (
        _APT_OPTS,
        frozenset({"update"}),
        frozenset({"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade",
                   "safe-upgrade", "build-dep", "source", "download", "satisfy"}),
    )  # fmt: skip
for _name in ("yum", "dnf", "microdnf", "tdnf"):
    _MANAGERS[_name] = (
        _RPM_OPTS,
        frozenset({"makecache", "check-update"}),
        frozenset({"install", "reinstall", "update", "upgrade", "groupinstall", "localinstall",
                   "distro-sync", "group", "module", "builddep", "downgrade",
                   "update-minimal", "upgrade-minimal"}),
    )  # fmt: skip
_MANAGERS["zypper"] = (
    _ZYPPER_OPTS,
    frozenset({"refresh", "ref"}),
    frozenset(
        {"install", "in", "update", "up", "patch", "dist-upgrade", "dup", "source-install", "si"}
    ),
)
_MANAGERS["apk"] = (_APK_OPTS, frozenset({"update"}), frozenset({"add", "upgrade", "fix", "fetch"}))


def _words(segment: str) -> list[str]:
    try:
        words = shlex.split(segment, comments=False, posix=True)
    except ValueError:
        words = segment.split()
    skipping_opts = False
    while words:
        w = words[0]
        if w in _PREFIX_WORDS:
            skipping_opts = w in ("sudo", "env")
        elif not (re.match(r"^[A-Za-z_]\w*=", w) or (skipping_opts and w.startswith("-"))):
            break
        words.pop(0)
    return words


def _pacman(args: list[str]) -> str:
    flags = "".join(a[1:] for a in args if a.startswith("-") and not a.startswith("--"))
    targets = [a for a in args if not a.startswith("-")]
    if "S" not in flags:
        return ""
    if "u" in flags or targets:
        return "install"
    return "update" if "y" in flags else ""


def classify_segment(segment: str) -> str:
    """``update``, ``install`` or ``""`` for one simple command of a shell line."""
    words = _words(segment)
    if not words:
        return ""
    cmd, args = words[0].rsplit("/", 1)[-1], words[1:]
    if cmd == "pacman":
        return _pacman(args)
    spec = _MANAGERS.get(cmd)
    if spec is None:
        return ""
    value_opts, updates, installs = spec
    skip_next = False
    for a in args:
        if skip_next:
            skip_next = False
        elif a.startswith("-"):
            skip_next = a in value_opts
        else:
            return "update" if a in updates else "install" if a in installs else ""
    return ""


def update_alone(command: str) -> bool:
    """True when a RUN command refreshes a package index and installs nothing in the same RUN."""
    kinds = {classify_segment(s) for s in _SEPARATORS.split(command)}
    return "update" in kinds and "install" not in kinds


@image_rule(
    id="IM007",
    title="Package index update in a RUN step of its own",
    severity=Severity.LOW,
    rationale=(
        "The builder caches a RUN step that only refreshes the package index; later builds "
        "reuse that stale index and install outdated packages, silently missing security "
        "fixes."
    ),
    remediation=(
        "Update the index and install in the same RUN instruction "
        "(RUN apt-get update && apt-get install -y --no-install-recommends pkg && "
        "rm -rf /var/lib/apt/lists/*), or build with --no-cache."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.7",),
    tags=("build", "patching"),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail naming each RUN step that only updates a package index."""
    all_steps = history_steps(image)
    if isinstance(all_steps, Verdict):
        return all_steps
    bad = [step_text(s) for s in all_steps if s.keyword == "RUN" and update_alone(s.args)]
    if bad:
        return failed("a RUN step updates the package index without installing", *capped(bad))
    return passed("no RUN step updates a package index on its own")
