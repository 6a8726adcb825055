"""Unit tests of the Ruby, PHP, .NET and Rust analyzers: paths, shapes and damaged entries."""

from __future__ import annotations

import pytest

from seawall.inventory.analyzer import AnalyzerError
from seawall.inventory.analyzers import (
    cargo_lock,
    composer_installed,
    composer_lock,
    dotnet_deps,
    gem_lock,
    gem_spec,
)
from seawall.inventory.analyzers.gem_lock import parse_gemfile_lock
from seawall.inventory.analyzers.gem_spec import parse_gemspec
from tests.inventory._fixtures import bytes_input


@pytest.mark.parametrize(
    ("analyzer_id", "path", "wanted"),
    [
        ("gem-spec", "/usr/local/bundle/specifications/rack-3.0.8.gemspec", True),
        ("gem-spec", "/var/lib/gems/3.1.0/specifications/default/json-2.6.1.gemspec", True),
        ("gem-spec", "/srv/app/demo.gemspec", False),
        ("gem-lock", "/srv/app/Gemfile.lock", True),
        ("gem-lock", "/usr/local/bundle/gems/rack-3.0.8/Gemfile.lock", False),
        ("gem-lock", "/usr/local/bundle/bundler/gems/fork-0123abc/Gemfile.lock", False),
        ("composer-installed", "/var/www/vendor/composer/installed.json", True),
        ("composer-installed", "/var/www/vendor/composer/installed.php", False),
        ("composer-lock", "/var/www/composer.lock", True),
        ("composer-lock", "/var/www/vendor/acme/x/composer.lock", False),
        ("dotnet-deps", "/app/WebApi.deps.json", True),
        ("dotnet-deps", "/app/WebApi.runtimeconfig.json", False),
        ("cargo-lock", "/src/Cargo.lock", True),
        ("cargo-lock", "/root/.cargo/registry/src/x/rg-14.1.0/Cargo.lock", False),
        ("cargo-lock", "/root/.cargo/git/checkouts/x/abc/Cargo.lock", False),
        ("cargo-lock", "/usr/share/doc/rust-x/examples/Cargo.lock", False),
        ("gem-lock", "/usr/share/doc/ruby-x/Gemfile.lock", False),
        ("composer-lock", "/usr/share/doc/php-x/composer.lock", False),
    ],
)
def test_required(analyzer_id: str, path: str, wanted: bool) -> None:
    modules = {
        "gem-spec": gem_spec,
        "gem-lock": gem_lock,
        "composer-installed": composer_installed,
        "composer-lock": composer_lock,
        "dotnet-deps": dotnet_deps,
        "cargo-lock": cargo_lock,
    }
    assert modules[analyzer_id].analyze.required(path) is wanted


def test_gemspec_is_never_evaluated_and_reads_plain_strings() -> None:
    text = 'Gem::Specification.new do |s|\n  s.name = "x"\n  s.version = "1.0"\n  s.license = "MIT"\n  system("rm -rf /")\nend\n'
    assert parse_gemspec(text) == ("x", "1.0", ("MIT",))


def test_gemspec_without_name_is_a_note() -> None:
    found = gem_spec.analyze.analyze(
        bytes_input("/g/specifications/x.gemspec", b"Gem::Specification.new do |s|\nend\n")
    )
    assert found.packages == () and found.notes


def test_gemfile_lock_only_gem_sections_and_platform_stripped() -> None:
    text = "GIT\n  specs:\n    g (1.0)\n\nGEM\n  specs:\n    a (1.0-x86_64-linux)\n      b (>= 1)\n    b (2.0)\n\nPLATFORMS\n  ruby\n"
    assert parse_gemfile_lock(text) == [("a", "1.0"), ("b", "2.0")]


def test_gemfile_lock_invalid_utf8_is_an_error() -> None:
    with pytest.raises(AnalyzerError, match="not valid UTF-8"):
        gem_lock.analyze.analyze(
            bytes_input("/a/Gemfile.lock", b"GEM\n  specs:\n    a\xff (1.0)\n")
        )


def test_composer_installed_must_be_a_list_or_packages() -> None:
    with pytest.raises(AnalyzerError, match="neither a package list"):
        composer_installed.analyze.analyze(
            bytes_input("/v/vendor/composer/installed.json", b'{"x": 1}')
        )


def test_composer_lock_skips_dev_and_bad_entries() -> None:
    doc = b'{"packages": [{"name": "a/b", "version": "1"}, {"name": "nope", "version": "1"}, 7], "packages-dev": [{"name": "c/d", "version": "1"}]}'
    found = composer_lock.analyze.analyze(bytes_input("/app/composer.lock", doc))
    assert [p.purl for p in found.packages] == ["pkg:composer/a/b@1"]
    assert len(found.notes) == 2


def test_dotnet_without_libraries_is_an_error() -> None:
    with pytest.raises(AnalyzerError, match="libraries"):
        dotnet_deps.analyze.analyze(bytes_input("/app/x.deps.json", b'{"targets": {}}'))


def test_dotnet_bad_library_key_is_a_note() -> None:
    doc = b'{"libraries": {"NoVersion": {"type": "package"}, "A/1.0": {"type": "package"}}}'
    found = dotnet_deps.analyze.analyze(bytes_input("/app/x.deps.json", doc))
    assert [p.purl for p in found.packages] == ["pkg:nuget/A@1.0"]
    assert len(found.notes) == 1


def test_cargo_lock_bad_entry_is_a_note() -> None:
    doc = b'[[package]]\nname = "a"\nsource = "registry+x"\n[[package]]\nname = "b"\nversion = "1.0.0"\nsource = "registry+x"\n'
    found = cargo_lock.analyze.analyze(bytes_input("/src/Cargo.lock", doc))
    assert [p.purl for p in found.packages] == ["pkg:cargo/b@1.0.0"]
    assert len(found.notes) == 1
