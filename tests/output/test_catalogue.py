"""The writer catalogue: explicit, validated, and every writer well-behaved."""

from __future__ import annotations

import dataclasses

import pytest

from seawall.errors import RegistryError, UsageError
from seawall.model import Report, Severity
from seawall.output import WRITERS, WriteOptions, Writer, WriterCatalogue, get_writer, writer


def test_catalogue_lists_the_audit_formats_in_order() -> None:
    assert WRITERS.names() == ("table", "json", "sarif", "junit", "html")
    assert len(WRITERS) == 5
    assert "sarif" in WRITERS


@pytest.mark.parametrize("name", ["table", "JSON", " sarif "])
def test_get_writer_is_case_insensitive(name: str) -> None:
    assert get_writer(name).name == name.strip().lower()


def test_unknown_format_lists_the_valid_names() -> None:
    with pytest.raises(UsageError) as exc:
        get_writer("yaml")
    assert "yaml" in str(exc.value)
    for name in WRITERS.names():
        assert name in str(exc.value)


def test_metadata() -> None:
    media = {w.name: (w.media_type, w.extension) for w in WRITERS}
    assert media == {
        "table": ("text/plain", ".txt"),
        "json": ("application/json", ".json"),
        "sarif": ("application/sarif+json", ".sarif"),
        "junit": ("application/xml", ".xml"),
        "html": ("text/html", ".html"),
    }
    assert get_writer("sarif").default_filename() == "seawall-report.sarif"
    assert all(w.description.strip() for w in WRITERS)


def _fn(report: Report, options: WriteOptions) -> str:
    return "x\n"


def test_decorator_builds_a_value_without_side_effects() -> None:
    w = writer(name="demo", media_type="text/plain", extension=".txt", description="demo")(_fn)
    assert isinstance(w, Writer)
    assert w.write is _fn
    assert "demo" not in WRITERS


def test_duplicate_names_are_rejected() -> None:
    w = writer(name="demo", media_type="text/plain", extension=".txt", description="demo")(_fn)
    with pytest.raises(RegistryError, match="duplicate"):
        WriterCatalogue((w, w))


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Bad Name"), ("media_type", "plain"), ("extension", "txt"), ("description", " ")],
)
def test_malformed_metadata_is_rejected(field: str, value: str) -> None:
    good = writer(name="demo", media_type="text/plain", extension=".txt", description="demo")(_fn)
    with pytest.raises(RegistryError):
        WriterCatalogue((dataclasses.replace(good, **{field: value}),))  # type: ignore[arg-type]


def test_write_options_validate() -> None:
    assert not WriteOptions().filtering
    assert WriteOptions(min_severity=Severity.LOW).filtering
    with pytest.raises(ValueError, match="terminal_width"):
        WriteOptions(terminal_width=5)
    with pytest.raises(TypeError):
        WriteOptions(min_severity="high")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", WRITERS.names())
def test_every_writer_returns_text_ending_in_a_newline(name: str, report: Report) -> None:
    out = get_writer(name).write(report, WriteOptions())
    assert out.endswith("\n")
    out.encode("utf-8")


@pytest.mark.parametrize("name", WRITERS.names())
def test_every_writer_handles_an_empty_report(name: str) -> None:
    from seawall.model import ToolInfo

    empty = Report(
        tool=ToolInfo("seawall", "0.1.0", "audit"),
        generated_at="2024-05-01T12:00:00Z",
        rules=(),
        results=(),
    )
    assert (
        get_writer(name).write(empty, WriteOptions(min_severity=Severity.CRITICAL)).endswith("\n")
    )
