"""Analyzers of the 'lang' group, listed explicitly (owned by the analyzers of this group)."""

from __future__ import annotations

from seawall.inventory.analyzer import Analyzer
from seawall.inventory.analyzers import (
    cargo_lock,
    composer_installed,
    composer_lock,
    dotnet_deps,
    gem_lock,
    gem_spec,
    npm_lock,
    npm_pkg,
    pnpm_lock,
    python_lock,
    python_pkg,
    yarn_lock,
)

ANALYZERS: tuple[Analyzer, ...] = (
    python_pkg.analyze,
    python_lock.analyze,
    npm_pkg.analyze,
    npm_lock.analyze,
    yarn_lock.analyze,
    pnpm_lock.analyze,
    gem_spec.analyze,
    gem_lock.analyze,
    composer_installed.analyze,
    composer_lock.analyze,
    dotnet_deps.analyze,
    cargo_lock.analyze,
)
