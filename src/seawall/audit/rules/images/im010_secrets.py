"""IM010: no secrets in the image config or build history (CIS Docker 1.6.0, 4.10).

CIS 4.10 is a manual item about Dockerfiles; the image itself records what a Dockerfile put
in it. Checked, with the detector in ``seawall.audit.rules._secrets``:

- ``Config.Env`` and ``Config.Labels`` (``NAME=value``), ``Entrypoint``, ``Cmd`` and the
  ``Healthcheck`` command;
- history ``ENV`` and ``ARG`` steps (``ARG NAME`` without a default stores nothing);
- the build arguments the classic builder and BuildKit record in front of every ``RUN``
  (``|1 NPM_TOKEN=... /bin/sh -c ...``): a ``--build-arg`` secret leaks this way even when
  the Dockerfile never stores it;
- ``RUN`` command lines and other steps (``NAME=value``, ``--password x``,
  ``https://user:pass@host``, known token shapes such as ``AKIA...``, ``ghp_...``, PEM keys).

A secret-looking name whose value is a reference (``PASSWORD_FILE=/run/secrets/db``,
``TOKEN=$TOKEN``) or empty is not a finding. Evidence names the variable and never its value:
``ENV DB_PASSWORD=****``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, errored, failed, image_rule, passed
from seawall.audit.rules._evidence import capped
from seawall.audit.rules._secrets import assignment_label, assignments, check_assignment, scan_text
from seawall.audit.rules.images._history import steps
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity

#: How many findings are listed as evidence; the rest are counted.


def _pairs(prefix: str, pairs: list[tuple[str, str]]) -> list[str]:
    out = []
    for name, value in pairs:
        kind = check_assignment(name, value)
        if kind:
            out.append(assignment_label(prefix, name, kind))
    return out


#: Steps whose effective value is also in the config: labelled without a step number so the
#: config and history findings of the same text collapse into one line.
_CONFIG_STEPS = frozenset({"CMD", "ENTRYPOINT", "HEALTHCHECK"})


def _config_findings(image: ImageFacts) -> list[str]:
    env = [(n, v) for n, _, v in (e.partition("=") for e in image.env)]
    out = _pairs("ENV", env) + _pairs("LABEL", list(image.labels.items()))
    for keyword, argv in (
        ("ENTRYPOINT", image.entrypoint),
        ("CMD", image.cmd),
        ("HEALTHCHECK", image.healthcheck or ()),
    ):
        out += [f"{keyword} {hit.label}" for hit in scan_text(" ".join(argv))]
    return out


def _history_findings(image: ImageFacts) -> list[str]:
    out: list[str] = []
    for s in steps(image.history or ()):
        if s.keyword in ("ENV", "ARG"):
            out += _pairs(s.keyword, assignments(s.args))
            continue
        out += _pairs("ARG", list(s.build_args))
        where = (
            s.keyword if s.keyword in _CONFIG_STEPS else f"step {s.number}: {s.keyword or 'layer'}"
        )
        out += [f"{where} {hit.label}" for hit in scan_text(s.args)]
    return out


def find_secrets(image: ImageFacts) -> list[str]:
    """Printable, redacted labels of every secret-looking value in the image, de-duplicated."""
    return list(dict.fromkeys(_config_findings(image) + _history_findings(image)))


@image_rule(
    id="IM010",
    title="Secrets stored in the image config or build history",
    severity=Severity.HIGH,
    rationale=(
        "Environment variables, labels, build arguments and RUN command lines are stored in "
        "the image and shown by docker inspect and docker history to anyone who can pull it; "
        "a credential put there is disclosed to every user of the image and every registry "
        "it passes through."
    ),
    remediation=(
        "Rotate the exposed credential; pass secrets at build time with BuildKit secret mounts "
        "(RUN --mount=type=secret,id=token ...) and at run time with swarm or orchestrator "
        "secrets or a *_FILE variable pointing at a mounted file, never with ENV, ARG or "
        "--build-arg."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.10",),
    tags=("secrets",),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail listing (redacted) each secret-looking value in config or history."""
    found = find_secrets(image)
    if found:
        return failed(f"{len(found)} secret-looking value(s) stored in the image", *capped(found))
    if image.history is None:
        return errored(
            f"image history not readable, build steps not checked: {image.history_error or 'unknown error'}"
        )
    return passed("no secret-looking values in the image config or build history")
