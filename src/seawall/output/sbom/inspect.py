"""``seawall image inspect``: an image's identity, layers, history and config, secrets redacted.

Two formats over the same ``inspect_document`` (an ``ImageInfo`` never read twice):
``table`` for a terminal and ``json`` (documented keys, fixed order). The config is the image
config's ``config`` object (OCI image-spec config.md; the Engine's ``Config``) and is hostile
input: every field is type-checked and anything of the wrong type is left out. Secret-looking
values are hidden in env entries, labels, ``Cmd``/``Entrypoint`` and build history
(``seawall.model.redact``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from seawall.model.inventory import HistoryEntry, ImageInfo
from seawall.model.redact import redact_argv, redact_env, redact_text
from seawall.output.sbom.base import SbomOptions, doc_writer
from seawall.output.sbom.json import image_identity, layer_document
from seawall.output.sbom.table import render
from seawall.output.view import clean, dump_json


def _strings(value: object) -> list[str] | None:
    """A JSON array of strings (a lone string counts as one, as Docker accepts) or ``None``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _keys(value: object) -> list[str]:
    """Sorted keys of a JSON object such as ``ExposedPorts`` or ``Volumes`` (``[]`` otherwise)."""
    return sorted(k for k in value if isinstance(k, str)) if isinstance(value, Mapping) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def config_view(config: Mapping[str, object]) -> dict[str, Any]:
    """The parts of an image config a reader checks, type-checked and redacted."""
    entrypoint, cmd = _strings(config.get("Entrypoint")), _strings(config.get("Cmd"))
    labels = config.get("Labels")
    shown_labels: dict[str, str] = {}
    if isinstance(labels, Mapping):
        for key in sorted(k for k in labels if isinstance(k, str)):
            value = labels[key]
            if isinstance(value, str):
                shown_labels[key] = redact_env(f"{key}={value}").partition("=")[2]
    env = _strings(config.get("Env")) or []
    return {
        "user": _text(config.get("User")),
        "entrypoint": None if entrypoint is None else redact_argv(entrypoint),
        "cmd": None if cmd is None else redact_argv(cmd),
        "working_dir": _text(config.get("WorkingDir")),
        "exposed_ports": _keys(config.get("ExposedPorts")),
        "volumes": _keys(config.get("Volumes")),
        "env": [redact_env(entry) for entry in env],
        "labels": shown_labels,
        "stop_signal": _text(config.get("StopSignal")),
    }


def history_entries(image: ImageInfo) -> tuple[HistoryEntry, ...]:
    """The full history when the source gave it, else one entry per layer."""
    if image.history:
        return image.history
    return tuple(HistoryEntry(created_by=layer.created_by) for layer in image.layers)


def inspect_document(image: ImageInfo) -> dict[str, Any]:
    """The inspection as a JSON-ready dict in the documented key order."""
    sizes = [layer.size for layer in image.layers]
    return {
        **image_identity(image),
        "size": sum(s for s in sizes if s is not None) if sizes and None not in sizes else None,
        "layers": [layer_document(layer) for layer in image.layers],
        "history": [
            {
                "created": entry.created,
                "created_by": redact_text(entry.created_by),
                "comment": redact_text(entry.comment),
                "empty_layer": entry.empty_layer,
            }
            for entry in history_entries(image)
        ],
        "config": config_view(image.config),
    }


@doc_writer(
    name="json",
    media_type="application/json",
    extension=".json",
    description="The image's identity, layers, history and config as JSON (secrets redacted).",
)
def write_inspect_json(image: ImageInfo, options: SbomOptions) -> str:
    """Serialise the inspection; deterministic for a given image."""
    return dump_json(inspect_document(image))


def human_size(size: int | None) -> str:
    """``1.5 MB`` and the like (decimal units, as ``docker images`` prints); ``?`` if unknown."""
    if size is None:
        return "?"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


def _field(label: str, value: str) -> Text:
    return Text(f"{label + ':':<15}{clean(value)}")


def _identity(doc: dict[str, Any]) -> list[Text]:
    platform = "/".join(p for p in (doc["os"], doc["architecture"]) if p)
    lines = [Text(f"Image:         {clean(doc['ref'])} ({clean(doc['source'])})", style="bold")]
    for label, value in (
        ("ID", doc["id"]),
        ("Digest", doc["digest"] or ""),
        ("Tags", ", ".join(doc["tags"])),
        ("Platform", platform),
        ("Created", doc["created"]),
    ):
        if value:
            lines.append(_field(label, value))
    lines.append(_field("Base image", doc["base_image"] or "unknown"))
    count = len(doc["layers"])
    lines.append(_field("Size", f"{human_size(doc['size'])} in {count} layer(s)"))
    return lines


def _argv(value: list[str] | None) -> str:
    return "(not set)" if value is None else json.dumps(value, ensure_ascii=False)


def _config_lines(config: dict[str, Any]) -> list[Text]:
    lines = [Text(""), Text("Config", style="bold")]
    user = config["user"] or "(not set: runs as root)"
    lines += [
        _field("  User", user),
        _field("  Entrypoint", _argv(config["entrypoint"])),
        _field("  Cmd", _argv(config["cmd"])),
        _field("  WorkingDir", config["working_dir"] or "(not set)"),
        _field("  Ports", ", ".join(config["exposed_ports"]) or "(none)"),
        _field("  Volumes", ", ".join(config["volumes"]) or "(none)"),
    ]
    if config["stop_signal"]:
        lines.append(_field("  StopSignal", config["stop_signal"]))
    lines.append(Text("  Env:" + ("" if config["env"] else "          (none)")))
    lines += [Text(f"    {clean(entry)}") for entry in config["env"]]
    if config["labels"]:
        lines.append(Text("  Labels:"))
        lines += [Text(f"    {clean(k)}={clean(v)}") for k, v in config["labels"].items()]
    return lines


def _layers_table(doc: dict[str, Any]) -> Table:
    table = Table(title=Text("Layers", style="bold"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Size", justify="right", no_wrap=True)
    table.add_column("Origin", no_wrap=True)
    table.add_column("Diff ID", no_wrap=True)
    table.add_column("Created by", overflow="fold")
    for layer in doc["layers"]:
        diff_id = str(layer["diff_id"])
        table.add_row(
            str(layer["index"]),
            human_size(layer["size"]),
            layer["base"],
            Text(clean(diff_id.removeprefix("sha256:")[:12] or "-")),
            Text(clean(layer["created_by"])),
        )
    return table


def _history_table(doc: dict[str, Any]) -> Table:
    table = Table(title=Text("History", style="bold"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Created", no_wrap=True)
    table.add_column("Layer", no_wrap=True)
    table.add_column("Created by", overflow="fold")
    for entry in doc["history"]:
        table.add_row(
            Text(clean(entry["created"])),
            "no" if entry["empty_layer"] else "yes",
            Text(clean(entry["created_by"] or entry["comment"])),
        )
    return table


@doc_writer(
    name="table",
    media_type="text/plain",
    extension=".txt",
    description="The image's identity, config, layers and history for a terminal.",
)
def write_inspect_table(image: ImageInfo, options: SbomOptions) -> str:
    """Render the inspection as text; deterministic for a given image and options."""
    doc = inspect_document(image)
    parts: list[RenderableType] = [*_identity(doc), *_config_lines(doc["config"]), Text("")]
    parts.append(_layers_table(doc))
    if doc["history"]:
        parts.append(_history_table(doc))
    return render(options, parts)
