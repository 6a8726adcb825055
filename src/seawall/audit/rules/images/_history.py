"""Image history rows as Dockerfile instructions: what IM007, IM009 and IM010 read.

``history_steps`` and ``step_text`` are the unreadable-history error and the evidence line
IM007 and IM009 share.

``GET /images/{id}/history`` lists the newest entry first; each ``CreatedBy`` is written by the
builder that made the step, in one of these shapes (seen on Docker 20.10 and BuildKit):

- classic builder, metadata or copy step: ``/bin/sh -c #(nop)  ENV A=b`` or
  ``/bin/sh -c #(nop) ADD file:<sha256> in /dest `` (the shell is whatever ``SHELL`` was);
- classic builder, ``RUN``: the command itself, e.g. ``/bin/sh -c apt-get update`` (exec form:
  ``apt-get update``), prefixed with ``|<n> NAME=value ...`` when build arguments were in scope;
- BuildKit: ``ENV A=b``, ``RUN /bin/sh -c apt-get update # buildkit``,
  ``ADD https://example.com/x /x # buildkit`` (layer steps end in ``# buildkit``);
- ``docker import``: an empty ``CreatedBy`` (the comment says ``Imported from -``); other tools
  leave a comment such as ``# debian.sh --arch 'amd64' ...``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from seawall.audit.model import Verdict, errored
from seawall.audit.rules._secrets import redact
from seawall.facts import ImageFacts
from seawall.facts.image import HistoryEntry

#: Dockerfile instructions that can appear in history.
KEYWORDS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    }
)  # fmt: skip

_BUILDKIT_SUFFIX = "# buildkit"
# The classic builder's marker for steps that run nothing; the text before it is the shell.
_NOP = re.compile(r"^(?:[^#]*\s)?#\(nop\)\s*")
_BUILD_ARGS = re.compile(r"^\|(\d+)\s+")
# The shell prefix of a shell-form RUN: ``/bin/sh -c``, ``/bin/bash -o pipefail -c``,
# ``/bin/sh -ec``, Windows ``cmd /S /C``.
_SHELL = re.compile(
    r"^(?:(?:\S*/)?(?:sh|bash|ash|dash|zsh)(?:\s+-[a-bd-z]\w*(?:\s+[^-\s]\S*)?)*\s+-\w*c\s+|cmd\s+/S\s+/C\s+)"
)


@dataclass(frozen=True, slots=True)
class Step:
    """One history entry read as an instruction.

    ``number`` counts from 1 at the oldest entry (the order a Dockerfile is written in).
    ``keyword`` is ``RUN``, ``ADD`` ...; empty for an imported layer or a tool's comment.
    ``args`` is the text after the keyword; for ``RUN`` it is the command without the shell
    prefix and without the build arguments, which are in ``build_args``.
    """

    number: int
    keyword: str
    args: str
    layer: bool
    buildkit: bool = False
    build_args: tuple[tuple[str, str], ...] = ()


def _split_build_args(command: str) -> tuple[tuple[tuple[str, str], ...], str]:
    m = _BUILD_ARGS.match(command)
    if not m:
        return (), command
    count = int(m.group(1))
    parts = command[m.end() :].split(" ", count)
    pairs = tuple((k, v) for k, _, v in (p.partition("=") for p in parts[:count]))
    return pairs, parts[count] if len(parts) > count else ""


def strip_shell(command: str) -> str:
    """A RUN command without its shell prefix (``/bin/sh -c apt-get update`` -> ``apt-get update``)."""
    return _SHELL.sub("", command, count=1)


def classify(created_by: str) -> tuple[str, str, bool]:
    """``(keyword, args, buildkit)`` for one ``CreatedBy`` text (see the module docstring)."""
    text = created_by.strip()
    buildkit = text.endswith(_BUILDKIT_SUFFIX)
    if buildkit:
        text = text[: -len(_BUILDKIT_SUFFIX)].rstrip()
    if not text:
        return "", "", buildkit
    nop = _NOP.match(text)
    if nop:
        rest = text[nop.end() :]
        word, _, args = rest.partition(" ")
        if word.upper() in KEYWORDS:
            return word.upper(), args.strip(), buildkit
        return "", rest, buildkit
    word, _, args = text.partition(" ")
    if word in KEYWORDS:
        return word, args.strip(), buildkit
    if text.startswith("#"):
        return "", text, buildkit
    # Classic builder RUN: the command itself (shell or exec form).
    return "RUN", text, buildkit


def steps(history: Sequence[HistoryEntry]) -> tuple[Step, ...]:
    """The history as instructions, oldest first (the API lists the newest first)."""
    out = []
    for number, entry in enumerate(reversed(history), start=1):
        keyword, args, buildkit = classify(entry.created_by)
        build_args: tuple[tuple[str, str], ...] = ()
        if keyword == "RUN":
            build_args, args = _split_build_args(args)
            args = strip_shell(args)
        out.append(Step(number, keyword, args, not entry.empty_layer, buildkit, build_args))
    return tuple(out)


def short(text: str, limit: int = 120) -> str:
    """One line of at most ``limit`` characters, for evidence."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def history_steps(image: ImageFacts) -> tuple[Step, ...] | Verdict:
    """The image's history as instructions, or the ``error`` when it could not be read."""
    if image.history is None:
        return errored(f"image history not readable: {image.history_error or 'unknown error'}")
    return steps(image.history)


def step_text(step: Step) -> str:
    """``step 4: RUN apt-get update`` for evidence: arguments redacted and kept to one line."""
    return f"step {step.number}: {step.keyword} {short(redact(step.args))}"
