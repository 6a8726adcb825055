"""``image inspect``: the whole picture of an image, hostile configs tolerated, secrets hidden."""

from __future__ import annotations

import dataclasses
import json

import pytest

from seawall.model.inventory import ImageInfo
from seawall.output.sbom import get_inspect_writer, inspect_document
from seawall.output.sbom.inspect import config_view, human_size
from tests.output.sbom.conftest import IMAGE, SECRETS, fixed_options


def test_document(options: object) -> None:
    doc = inspect_document(IMAGE)
    assert list(doc) == [
        "ref",
        "source",
        "id",
        "digest",
        "tags",
        "os",
        "architecture",
        "created",
        "base_image",
        "size",
        "layers",
        "history",
        "config",
    ]
    assert doc["size"] is None  # one layer's size is unknown
    assert [h["empty_layer"] for h in doc["history"]] == [False, True, False, True, False, False]
    config = doc["config"]
    assert config["user"] == "app"
    assert config["entrypoint"] == ["/app/run", "--token", "****"]
    assert config["cmd"] == ["--port", "8080"]
    assert config["exposed_ports"] == ["8080/tcp", "9090/udp"]
    assert config["volumes"] == ["/data"]
    assert config["env"][1:5] == [
        "DB_PASSWORD=****",
        "DB_PASSWORD_FILE=/run/secrets/db",
        "TOKENIZERS_PARALLELISM=false",
        "AWS_ACCESS_KEY_ID=****",
    ]
    assert config["labels"]["github_token"] == "****"
    assert json.loads(get_inspect_writer("json").write(IMAGE, fixed_options())) == doc


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_no_secret_in_any_format(fmt: str) -> None:
    out = get_inspect_writer(fmt).write(IMAGE, fixed_options(terminal_width=300))
    for secret in SECRETS:
        assert secret not in out


def test_size_is_the_sum_when_every_layer_size_is_known() -> None:
    layers = tuple(dataclasses.replace(layer, size=1000) for layer in IMAGE.layers)
    assert inspect_document(dataclasses.replace(IMAGE, layers=layers))["size"] == 4000


def test_history_falls_back_to_the_layers() -> None:
    doc = inspect_document(dataclasses.replace(IMAGE, history=()))
    assert [h["created_by"] for h in doc["history"]] == [
        layer["created_by"] for layer in doc["layers"]
    ]


def test_hostile_config_values_are_left_out() -> None:
    config = config_view(
        {
            "User": 0,
            "Entrypoint": [1, 2],
            "Cmd": "echo hi",
            "ExposedPorts": ["80/tcp"],
            "Env": "PATH=/bin",
            "Labels": {"a": 1, "b": "ok"},
            "Volumes": {"/v": None, 3: None},
        }
    )
    assert config["user"] == ""
    assert config["entrypoint"] is None
    assert config["cmd"] == ["echo hi"]
    assert config["exposed_ports"] == []
    assert config["env"] == ["PATH=/bin"]
    assert config["labels"] == {"b": "ok"}
    assert config["volumes"] == ["/v"]


def test_table_for_a_bare_image() -> None:
    bare = ImageInfo(ref="dir:/srv/root", source="dir")
    out = get_inspect_writer("table").write(bare, fixed_options())
    assert "User:        (not set: runs as root)" in out
    assert "Entrypoint:  (not set)" in out
    assert "Base image:  unknown" in out or "Base image:    unknown" in out
    assert "Env:          (none)" in out


def test_table_is_inert_to_markup() -> None:
    odd = dataclasses.replace(IMAGE, ref="[red]x\x1b[2J", config={"Env": ["A=[b]c"]})
    out = get_inspect_writer("table").write(odd, fixed_options(terminal_width=200))
    assert "[red]x\\x1b[2J" in out and "A=[b]c" in out and "\x1b" not in out


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (None, "?"),
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 kB"),
        (29_123_456, "29.1 MB"),
        (5 * 10**15, "5000.0 TB"),
    ],
)
def test_human_size(size: int | None, text: str) -> None:
    assert human_size(size) == text
