"""``seawall image sbom|inspect``, ``seawall fs`` and ``seawall cache clean``.

Thin: parse, open the image through its named source, scan (cached), write atomically.
Anything structurally wrong with an image is one line and exit 2, and no SBOM is written.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from seawall import __version__
from seawall.cli.options import emit_text, parse_now, split_csv, want_color
from seawall.errors import UsageError
from seawall.image.source import OpenedImage
from seawall.model.inventory import Inventory

FORMATS = ("table", "cyclonedx", "spdx-json", "json")


def _now(value: str | None) -> str:
    return parse_now(value).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def _scan_tmpdir() -> Iterator[str]:
    """A private temp dir for the whole command; every temp file of the scan goes there."""
    saved = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="seawall-") as tmp:
        tempfile.tempdir = tmp  # nested archives spooled by analyzers land here too
        try:
            yield tmp
        finally:
            tempfile.tempdir = saved


def _print_notes(inventory: Inventory, limit: int = 50) -> None:
    """Notes (skipped or odd entries) on stderr, at most ``limit`` lines plus a count."""
    for note in inventory.notes[:limit]:
        click.echo(f"seawall: note: {note}", err=True)
    if len(inventory.notes) > limit:
        more = len(inventory.notes) - limit
        click.echo(f"seawall: note: … and {more} more (see the json output)", err=True)


def _options(color: bool) -> Any:
    from seawall.output.sbom import SbomOptions

    return SbomOptions(tool_version=__version__, color=color)


def _open(ref: str | None, input_path: str | None, opts: dict[str, Any], tmp: str) -> OpenedImage:
    from seawall.image.open import open_image, open_input

    if bool(ref) == bool(input_path):
        raise UsageError("give exactly one of REF or --input PATH")
    if input_path:
        return open_input(input_path, tmpdir=tmp, platform=opts["platform"])
    return open_image(
        str(ref),
        tmpdir=tmp,
        endpoint=opts["host"],
        platform=opts["platform"],
        insecure_registries=split_csv(opts["insecure_registry"]),
    )


def _scan(image: OpenedImage, opts: dict[str, Any], tmp: str, now: str) -> Inventory:
    from seawall.inventory.cache import LayerCache, default_cache_dir
    from seawall.inventory.catalogue import ANALYZERS
    from seawall.inventory.scan import ScanOptions, scan_image

    cache = None
    if not opts["no_cache"]:
        root = Path(opts["cache_dir"]) if opts["cache_dir"] else default_cache_dir()
        cache = LayerCache(root, ANALYZERS.cache_key())
    candidates: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if opts["base_from_engine"] or image.info.source in ("docker", "container"):
        from seawall.docker.layer_chains import local_layer_chains

        candidates = local_layer_chains(opts["host"])
    # Large layers are hashed in a second thread (seawall.image.digests); let it have the GIL
    # back soon after each chunk instead of waiting out the default 5 ms behind the parser
    # (measured: a cold scan of the benchmark image takes 0.32 s at 0.5 ms, 0.36 s at 5 ms).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0005))
    try:
        return scan_image(
            image, ANALYZERS, ScanOptions(tmpdir=tmp, cache=cache, base_candidates=candidates), now
        )
    finally:
        sys.setswitchinterval(interval)


def _image_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for deco in reversed(
        (
            click.argument("ref", required=False),
            click.option(
                "--input",
                "input_path",
                type=click.Path(),
                help="A docker save archive or OCI layout (dir or tar, gzip ok); detected.",
            ),
            click.option(
                "--platform", help="os/arch[/variant] to pick from a multi-platform image."
            ),
            click.option(
                "--insecure-registry",
                multiple=True,
                help="host:port reachable over plain HTTP (registry: sources).",
            ),
            click.option(
                "-H",
                "--host",
                default=lambda: os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock",
                show_default="$DOCKER_HOST or unix:///var/run/docker.sock",
                help="Engine for docker: and container: sources.",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False),
                help="Write to FILE (atomically) instead of stdout.",
            ),
        )
    ):
        fn = deco(fn)
    return fn


def _cache_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--cache-dir",
        envvar="SEAWALL_CACHE_DIR",
        type=click.Path(file_okay=False),
        help="Layer cache (default: $XDG_CACHE_HOME/seawall). Env: SEAWALL_CACHE_DIR.",
    )(fn)
    fn = click.option("--no-cache", is_flag=True, help="Neither read nor write the layer cache.")(
        fn
    )
    return fn


@click.group()
def image() -> None:
    """Read an image safely (never run, never extracted): SBOM and inspection.

    \b
    REF names its source explicitly, so nothing leaves the machine by surprise:
      docker:REF  docker-archive:PATH  oci:DIR  oci-archive:PATH  registry:REF  container:NAME
    A bare REF means the local engine only. --input PATH detects docker and OCI archives.
    """


@image.command("sbom")
@_image_options
@_cache_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    envvar="SEAWALL_FORMAT",
)
@click.option(
    "--sbom",
    "sbom_in",
    type=click.Path(dir_okay=False),
    help="Read a CycloneDX JSON SBOM made by another tool instead of an image.",
)
@click.option(
    "--base-from-engine",
    is_flag=True,
    help="Also look for the base image among the local engine's images (always on for docker: and container:).",
)
@click.option(
    "--now", envvar="SEAWALL_NOW", help="Timestamp to record (ISO 8601), for reproducible output."
)
def sbom(**opts: Any) -> int:
    """List every package in an image (OS and language), with the layer that brought it."""
    from seawall.output.sbom import get_sbom_writer

    writer = get_sbom_writer(opts["fmt"])
    now = _now(opts["now"])
    if opts["sbom_in"]:
        if opts["ref"] or opts["input_path"]:
            raise UsageError("--sbom reads an existing SBOM: give no REF or --input with it")
        from seawall.inventory.sbom_import import read_cyclonedx

        inventory = read_cyclonedx(opts["sbom_in"])
    else:
        with _scan_tmpdir() as tmp:
            img = _open(opts["ref"], opts["input_path"], opts, tmp)
            try:
                inventory = _scan(img, opts, tmp, now)
            finally:
                img.close()
    emit_text(writer.write(inventory, _options(want_color(opts["output"]))), opts["output"])
    _print_notes(inventory)
    return 0


@image.command("inspect")
@_image_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
)
def inspect(**opts: Any) -> int:
    """Show an image's layers, sizes, history and config (secret-looking env values redacted)."""
    from seawall.output.sbom import get_inspect_writer

    writer = get_inspect_writer(opts["fmt"])
    with _scan_tmpdir() as tmp:
        img = _open(opts["ref"], opts["input_path"], opts, tmp)
        try:
            info = img.info
        finally:
            img.close()
    emit_text(writer.write(info, _options(want_color(opts["output"]))), opts["output"])
    return 0


@click.command("fs")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to FILE (atomically) instead of stdout.",
)
@click.option("--now", envvar="SEAWALL_NOW", help="Timestamp to record (ISO 8601).")
def fs(path: str, fmt: str, output: str | None, now: str | None) -> int:
    """List every package in a directory tree (a root filesystem), without following links out."""
    from seawall.image.fsdir import open_directory
    from seawall.output.sbom import get_sbom_writer

    writer = get_sbom_writer(fmt)
    opts = {"no_cache": True, "cache_dir": None, "base_from_engine": False, "host": ""}
    with _scan_tmpdir() as tmp:
        img = open_directory(path)
        try:
            inventory = _scan(img, opts, tmp, _now(now))
        finally:
            img.close()
    emit_text(writer.write(inventory, _options(False)), output)
    _print_notes(inventory)
    return 0


@click.group()
def cache() -> None:
    """Manage the layer cache."""


@cache.command("clean")
@click.option("--cache-dir", envvar="SEAWALL_CACHE_DIR", type=click.Path(file_okay=False))
def clean(cache_dir: str | None) -> int:
    """Remove every cached layer result and verified-blob record."""
    from seawall.inventory.cache import clean_cache, default_cache_dir

    root = Path(cache_dir) if cache_dir else default_cache_dir()
    removed = clean_cache(root)
    click.echo(f"removed {removed} cache entries from {root}")
    return 0
