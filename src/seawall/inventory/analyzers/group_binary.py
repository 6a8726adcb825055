"""Analyzers of the 'binary' group, listed explicitly (owned by the analyzers of this group)."""

from __future__ import annotations

from seawall.inventory.analyzer import Analyzer
from seawall.inventory.analyzers import gobinary, java, rust_binary

ANALYZERS: tuple[Analyzer, ...] = (gobinary.analyze, java.analyze, rust_binary.analyze)
