"""End-to-end inventory of the Debian test image, read from all five sources.

The image (tests/support/debian.py) is a debootstrap minbase tree plus layers planting real
Python, npm, Java, Ruby and Go packages, and a layer removing one Python and one Debian
package. seawall must match the image's own dpkg-query exactly, find every planted package
with the right version, path and layer, never report the removed ones, and give the same
packages from the engine, a docker-save archive, an OCI directory, an OCI archive and a local
registry.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import PREFIX, run_seawall
from tests.support.debian import (
    GEM,
    GO_TEXT,
    JAR,
    NPM_PACKAGE,
    PY_PACKAGES,
    REMOVED_DEB,
    REMOVED_PY,
    DebianImage,
    build_debian_image,
    dpkg_truth,
)
from tests.support.engine import docker, remove_prefixed
from tests.support.registry import skopeo, start_registry


@pytest.fixture(scope="module")
def debian(engine: str) -> Iterator[DebianImage]:
    prefix = f"{PREFIX}inv"
    try:
        yield build_debian_image(prefix)
    finally:
        remove_prefixed(prefix)


@pytest.fixture(scope="module")
def sources(
    debian: DebianImage, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    work = tmp_path_factory.mktemp("sources")
    archive = work / "image.tar"
    docker("save", "-o", str(archive), debian.tag)
    skopeo(work, "copy", f"docker-archive:{archive}", f"oci:{work / 'layout'}:inv")
    skopeo(work, "copy", f"docker-archive:{archive}", f"oci-archive:{work / 'image.oci.tar'}:inv")
    registry = start_registry(work, work / "storage", "inventory")
    try:
        remote = f"{registry.host}/seawall/debian-inventory:1"
        docker("tag", debian.tag, remote)
        docker("push", remote)
        docker("rmi", remote)
        yield {
            "docker": f"docker:{debian.tag}",
            "docker-archive": f"docker-archive:{archive}",
            "oci": f"oci:{work / 'layout'}:inv",
            "oci-archive": f"oci-archive:{work / 'image.oci.tar'}:inv",
            "registry": f"registry:{remote}",
        }
    finally:
        registry.stop()


def _sbom(spec: str, *extra: str) -> dict[str, Any]:
    host = spec.split(":", 1)[1].split("/", 1)[0] if spec.startswith("registry:") else ""
    args = ["image", "sbom", spec, "-f", "json", "--no-cache", *extra]
    if host:
        args += ["--insecure-registry", host]
    proc = run_seawall(*args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _packages(doc: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {
        (
            p["ecosystem"],
            p["name"],
            p["version"],
            p["path"],
            p["purl"],
            (p.get("layer") or {}).get("index"),
        )
        for p in doc["packages"]
    }


@pytest.fixture(scope="module")
def reports(sources: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {kind: _sbom(spec) for kind, spec in sources.items()}


def test_five_sources_give_identical_inventories(reports: dict[str, dict[str, Any]]) -> None:
    first = _packages(reports["docker-archive"])
    assert len(first) > 90
    for kind, doc in reports.items():
        assert _packages(doc) == first, kind


def test_deb_packages_match_dpkg_query_exactly(
    debian: DebianImage, reports: dict[str, dict[str, Any]]
) -> None:
    truth = dpkg_truth(debian.tag)
    got = {
        (
            p["name"],
            p["version"],
            f"{p.get('source_name') or p['name']} {p.get('source_version') or p['version']}",
        )
        for p in reports["docker-archive"]["packages"]
        if p["ecosystem"] == "deb"
    }
    assert got == truth
    assert REMOVED_DEB not in {name for name, _, _ in got}


def test_planted_language_packages_with_path_and_layer(
    debian: DebianImage, reports: dict[str, dict[str, Any]]
) -> None:
    pkgs = reports["docker-archive"]["packages"]

    def find(eco: str, name: str) -> list[dict[str, Any]]:
        return [p for p in pkgs if p["ecosystem"] == eco and p["name"] == name]

    layer = debian.layers
    for name, version in PY_PACKAGES.items():
        hits = find("pypi", name)
        if name == REMOVED_PY:
            assert hits == []  # deleted by a whiteout in a later layer
            continue
        assert [(p["version"], p["layer"]["index"]) for p in hits] == [(version, layer["python"])]
        assert (
            hits[0]["path"] == f"/usr/lib/python3/dist-packages/{name}-{version}.dist-info/METADATA"
        )
    npm = {p["path"]: (p["version"], p["layer"]["index"]) for p in find("npm", NPM_PACKAGE[0])}
    assert npm["/app/node_modules/is-number/package.json"] == (NPM_PACKAGE[1], layer["npm"])
    group, artifact, version = JAR
    jar = find("maven", f"{group}:{artifact}")
    assert [(p["version"], p["path"], p["layer"]["index"]) for p in jar] == [
        (version, f"/opt/{artifact}-{version}.jar", layer["jar"])
    ]
    gem = find("gem", GEM[0])
    assert [(p["version"], p["layer"]["index"]) for p in gem] == [(GEM[1], layer["gem"])]
    text = find("golang", "golang.org/x/text")
    assert [(p["version"], p["path"], p["layer"]["index"]) for p in text] == [
        (GO_TEXT, "/usr/local/bin/seawall-demo", layer["go"])
    ]
    libc = find("deb", "libc6")
    assert libc and libc[0]["layer"]["index"] == layer["base"]
    assert (
        libc[0]["purl"].startswith("pkg:deb/debian/libc6@")
        and "distro=debian-12" in libc[0]["purl"]
    )


def test_base_image_layers_from_the_local_engine(
    reports: dict[str, dict[str, Any]], debian: DebianImage
) -> None:
    layers = reports["docker"]["image"]["layers"]
    assert layers[0]["base"] == "base"
    assert all(layer["base"] == "own" for layer in layers[1:])
    assert reports["docker"]["image"]["base_image"] == debian.base_tag
    # Without the engine's help an archive cannot know its base: unknown, never a guess.
    assert all(layer["base"] == "unknown" for layer in reports["docker-archive"]["image"]["layers"])


def test_warm_cache_gives_the_same_sbom(sources: dict[str, str], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = (
        "image",
        "sbom",
        sources["docker-archive"],
        "-f",
        "json",
        "--cache-dir",
        str(cache),
        "--now",
        "2026-11-29T12:00:00Z",
    )
    cold = run_seawall(*args)
    warm = run_seawall(*args)
    assert cold.returncode == warm.returncode == 0
    assert cold.stdout == warm.stdout
    assert any((cache / "layers").iterdir())
    assert run_seawall("cache", "clean", "--cache-dir", str(cache)).returncode == 0
    assert not (cache / "layers").exists()


def test_sbom_formats_validate(sources: dict[str, str], tmp_path: Path) -> None:
    from tests.output.sbom.validators import CYCLONEDX, SPDX

    for fmt, validator in (("cyclonedx", CYCLONEDX), ("spdx-json", SPDX)):
        out = tmp_path / f"sbom.{fmt}.json"
        proc = run_seawall("image", "sbom", sources["oci"], "-f", fmt, "--no-cache", "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        validator.validate(json.loads(out.read_text()))
    # A CycloneDX document reads back as an inventory with the same packages.
    back = run_seawall(
        "image", "sbom", "--sbom", str(tmp_path / "sbom.cyclonedx.json"), "-f", "json"
    )
    assert back.returncode == 0, back.stderr
    original = _sbom(sources["oci"])
    names = {(p["name"], p["version"], p["purl"]) for p in json.loads(back.stdout)["packages"]}
    assert names == {(p["name"], p["version"], p["purl"]) for p in original["packages"]}


def test_image_inspect_shows_layers_and_history(sources: dict[str, str]) -> None:
    proc = run_seawall("image", "inspect", sources["docker-archive"], "-f", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    text = json.dumps(doc)
    assert "dpkg --purge" in text and "COPY" in text


def test_damaged_archive_gives_no_sbom(sources: dict[str, str], tmp_path: Path) -> None:
    archive = Path(sources["docker-archive"].split(":", 1)[1])
    broken = tmp_path / "broken.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the big layer
    broken.write_bytes(bytes(data))
    out = tmp_path / "sbom.json"
    proc = run_seawall(
        "image", "sbom", f"docker-archive:{broken}", "-f", "json", "--no-cache", "-o", str(out)
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) <= 2 and "Traceback" not in proc.stderr
    assert "sha256" in proc.stderr or "digest" in proc.stderr
    assert not out.exists()


def test_fs_of_the_debootstrap_tree_matches_dpkg_query() -> None:
    from tests.support.debian import ensure_rootfs

    root = ensure_rootfs()
    truth = subprocess.run(
        ["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W", "-f", "${Package} ${Version}\\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    proc = run_seawall("fs", str(root), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    got = {
        f"{p['name']} {p['version']}"
        for p in json.loads(proc.stdout)["packages"]
        if p["ecosystem"] == "deb"
    }
    assert got == {line for line in truth if line}
