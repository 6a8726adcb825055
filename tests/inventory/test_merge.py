"""Layer merge: whiteouts, opaque dirs, rewritten databases, and first-continuous-layer attribution."""

from __future__ import annotations

from seawall.inventory.layerscan import FileResult, LayerResult
from seawall.inventory.merge import merge_layers
from seawall.model.inventory import LayerRef, OSInfo, Package

LAYERS = tuple(LayerRef(index=i, diff_id=f"sha256:{i:064x}") for i in range(5))
STATUS = "/var/lib/dpkg/status"


def _pkg(name: str, version: str, path: str = STATUS, eco: str = "deb") -> Package:
    return Package(name, version, eco, f"pkg:{eco}/{name}@{version}", "dpkg", path)


def _db(*pkgs: Package, path: str = STATUS) -> dict[str, tuple[FileResult, ...]]:
    return {path: (FileResult("dpkg", pkgs),)}


def _layers(*results: LayerResult) -> dict[str, int | None]:
    merged = merge_layers(results, LAYERS[: len(results)])
    return {f"{p.name}@{p.version}": (p.layer.index if p.layer else None) for p in merged.packages}


def test_rewritten_database_keeps_first_layer_of_unchanged_packages() -> None:
    got = _layers(
        LayerResult("a", _db(_pkg("libc6", "1"), _pkg("bash", "5"))),
        LayerResult("b", _db(_pkg("libc6", "1"), _pkg("bash", "5"), _pkg("curl", "7"))),
        LayerResult("c", _db(_pkg("libc6", "2"), _pkg("bash", "5"), _pkg("curl", "7"))),
    )
    assert got == {"libc6@2": 2, "bash@5": 0, "curl@7": 1}


def test_package_dropped_from_rewritten_database_is_absent() -> None:
    got = _layers(
        LayerResult("a", _db(_pkg("libc6", "1"), _pkg("logsave", "1"))),
        LayerResult("b", _db(_pkg("libc6", "1"))),
    )
    assert got == {"libc6@1": 0}


def test_whiteout_removes_file_and_readding_restarts_attribution() -> None:
    meta = "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"
    six = _pkg("six", "1.16.0", meta, "pypi")
    got = _layers(
        LayerResult("a", _db(six, path=meta)),
        LayerResult("b", whiteouts=("/usr/lib/python3/dist-packages/six-1.16.0.dist-info",)),
    )
    assert got == {}
    got = _layers(
        LayerResult("a", _db(six, path=meta)),
        LayerResult("b", whiteouts=(meta,)),
        LayerResult("c", _db(six, path=meta)),
    )
    assert got == {"six@1.16.0": 2}


def test_opaque_directory_hides_lower_content_but_not_its_own_layer() -> None:
    old = "/app/node_modules/a/package.json"
    new = "/app/node_modules/b/package.json"
    got = _layers(
        LayerResult("a", _db(_pkg("a", "1", old, "npm"), path=old)),
        LayerResult(
            "b", {**_db(_pkg("b", "2", new, "npm"), path=new)}, opaque=("/app/node_modules",)
        ),
    )
    assert got == {"b@2": 1}


def test_os_release_through_a_symlink_inside_the_image() -> None:
    debian = OSInfo("debian", "12")
    merged = merge_layers(
        (
            LayerResult(
                "a",
                {"/usr/lib/os-release": (FileResult("os-release", os=debian),)},
                symlinks={"/etc/os-release": "../usr/lib/os-release"},
            ),
        ),
        LAYERS[:1],
    )
    assert merged.os == debian


def test_symlink_escape_attempt_stays_in_the_image() -> None:
    merged = merge_layers(
        (LayerResult("a", {}, symlinks={"/etc/os-release": "../../../../../etc/os-release"}),),
        LAYERS[:1],
    )
    assert merged.os is None  # resolves to /etc/os-release inside the image: a loop, not the host
