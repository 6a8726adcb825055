"""Output writers: one module per format, each a pure ``write(report, options) -> str``.

Writers format a ``seawall.model.Report``; they never compute findings, read the clock or do
I/O (the CLI writes the returned text). Every writer is listed explicitly in ``WRITERS``.

Public API for commands::

    get_writer("sarif").write(report, WriteOptions(min_severity=Severity.HIGH))
    WRITERS.names()          # ("table", "json", "sarif", "junit", "html")
    report_schema_text()     # the JSON Schema of the json format
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from seawall.output.base import WriteFn, WriteOptions, Writer, WriterCatalogue, writer

if TYPE_CHECKING:
    from seawall.output.json import report_schema, report_schema_text

#: Every output format, in the order ``--help`` lists them (the first is the default).
#: Built on first use (PEP 562): ``seawall image sbom`` must not pay for the audit writers.
WRITERS: WriterCatalogue


@functools.cache
def _catalogue() -> WriterCatalogue:
    from seawall.output.html import write_html
    from seawall.output.json import write_json
    from seawall.output.junit import write_junit
    from seawall.output.sarif import write_sarif
    from seawall.output.table import write_table

    return WriterCatalogue((write_table, write_json, write_sarif, write_junit, write_html))


def __getattr__(name: str) -> Any:
    if name == "WRITERS":
        return _catalogue()
    if name in ("report_schema", "report_schema_text"):
        from seawall.output import json as json_writer

        return getattr(json_writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_writer(name: str) -> Writer:
    """The writer for a ``--format`` value; ``UsageError`` listing the valid names otherwise."""
    return _catalogue().get(name)


__all__ = [
    "WRITERS",
    "WriteFn",
    "WriteOptions",
    "Writer",
    "WriterCatalogue",
    "get_writer",
    "report_schema",
    "report_schema_text",
    "writer",
]
