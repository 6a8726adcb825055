"""Analyzers of the 'os' group, listed explicitly (owned by the analyzers of this group)."""

from __future__ import annotations

from seawall.inventory.analyzer import Analyzer

ANALYZERS: tuple[Analyzer, ...] = ()
