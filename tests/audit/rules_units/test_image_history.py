"""Reading image history rows as instructions (seawall.audit.rules.images._history)."""

from __future__ import annotations

import pytest

from seawall.audit.model import Verdict
from seawall.audit.rules.images._history import (
    classify,
    history_steps,
    short,
    step_text,
    steps,
    strip_shell,
)
from seawall.facts.image import HistoryEntry, ImageFacts
from seawall.model import Outcome

HEX = "99dab1a7a2dd5d9f985450ffe99777fca12ef0bdae5ec5e071c7846d31930e6d"


@pytest.mark.parametrize(
    ("created_by", "expected"),
    [
        # Shapes recorded by dockerd 20.10's classic builder (captured on the test engine).
        (
            "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2 PATH=/bin",
            ("ENV", "DB_PASSWORD=hunter2 PATH=/bin", False),
        ),
        ("/bin/sh -c #(nop)  ARG BUILD_TOKEN=abc", ("ARG", "BUILD_TOKEN=abc", False)),
        (f"/bin/sh -c #(nop) ADD file:{HEX} in /f.txt ", ("ADD", f"file:{HEX} in /f.txt", False)),
        (f"/bin/sh -c #(nop) ADD {HEX} in /u.txt ", ("ADD", f"{HEX} in /u.txt", False)),
        ('/bin/sh -c #(nop)  CMD ["sh"]', ("CMD", '["sh"]', False)),
        ("/bin/bash -o pipefail -c #(nop)  USER 1000", ("USER", "1000", False)),
        (
            "|1 BUILD_TOKEN=abc /bin/sh -c echo hi",
            ("RUN", "|1 BUILD_TOKEN=abc /bin/sh -c echo hi", False),
        ),
        ("apt-get update", ("RUN", "apt-get update", False)),
        # BuildKit.
        ("RUN /bin/sh -c apk add curl # buildkit", ("RUN", "/bin/sh -c apk add curl", True)),
        (
            "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit",
            ("ADD", "alpine-minirootfs-3.20.3-x86_64.tar.gz /", True),
        ),
        ("ENV A=b", ("ENV", "A=b", False)),
        # docker import and tool comments.
        ("", ("", "", False)),
        (
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1718064000'",
            ("", "# debian.sh --arch 'amd64' out/ 'bookworm' '@1718064000'", False),
        ),
    ],
)
def test_classify(created_by: str, expected: tuple[str, str, bool]) -> None:
    assert classify(created_by) == expected


@pytest.mark.parametrize(
    ("command", "stripped"),
    [
        ("/bin/sh -c apt-get update", "apt-get update"),
        ("/bin/bash -o pipefail -c curl -fsSL x | sh", "curl -fsSL x | sh"),
        ("/bin/sh -ec make", "make"),
        ("/bin/sh -e -x -c make", "make"),
        ("cmd /S /C dir", "dir"),
        ("apt-get update", "apt-get update"),
        ("/bin/sh -x script.sh", "/bin/sh -x script.sh"),
    ],
)
def test_strip_shell(command: str, stripped: str) -> None:
    assert strip_shell(command) == stripped


def test_steps_oldest_first_with_build_args() -> None:
    history = (  # newest first, as the API returns it
        HistoryEntry('/bin/sh -c #(nop)  CMD ["sh"]', empty_layer=True),
        HistoryEntry("|2 A=1 TOKEN=x y /bin/sh -c echo hi", empty_layer=True),
        HistoryEntry(f"/bin/sh -c #(nop) ADD file:{HEX} in / ", empty_layer=False),
    )
    out = steps(history)
    assert [s.number for s in out] == [1, 2, 3]
    assert [s.keyword for s in out] == ["ADD", "RUN", "CMD"]
    assert out[0].layer
    assert not out[1].layer
    # Values with spaces are cut at the space; the count still finds the command.
    assert out[1].build_args == (("A", "1"), ("TOKEN", "x"))
    assert out[1].args == "y /bin/sh -c echo hi"


def test_steps_build_args_and_shell() -> None:
    (step,) = steps((HistoryEntry("|1 BUILD_TOKEN=abc /bin/sh -c echo hi"),))
    assert step.build_args == (("BUILD_TOKEN", "abc"),)
    assert step.args == "echo hi"


def test_short() -> None:
    assert short("a\n  b") == "a b"
    assert short("x" * 200, 10) == "x" * 9 + "…"


def test_history_steps_reads_or_errors() -> None:
    entry = HistoryEntry("/bin/sh -c apt-get update")
    read = history_steps(ImageFacts(id="sha256:" + HEX, history=(entry,)))
    assert not isinstance(read, Verdict)
    (step,) = read
    assert (step.number, step.keyword, step.args) == (1, "RUN", "apt-get update")
    unread = history_steps(ImageFacts(id="sha256:" + HEX, history_error="HTTP 500"))
    assert isinstance(unread, Verdict)
    assert (unread.outcome, unread.reason) == (
        Outcome.ERROR,
        "image history not readable: HTTP 500",
    )


def test_step_text_redacts_and_shortens() -> None:
    (step,) = steps(
        [HistoryEntry("/bin/sh -c curl https://admin:S3cretPass@x.example/" + "a" * 200)]
    )
    text = step_text(step)
    assert text.startswith("step 1: RUN curl")
    assert "S3cretPass" not in text
    assert len(text) <= len("step 1: RUN ") + 120
