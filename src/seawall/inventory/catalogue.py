"""Every analyzer, in one validated catalogue (the groups list their modules explicitly)."""

from __future__ import annotations

from seawall.inventory.analyzer import AnalyzerRegistry
from seawall.inventory.analyzers import group_binary, group_lang, group_os

ANALYZERS = AnalyzerRegistry((*group_os.ANALYZERS, *group_lang.ANALYZERS, *group_binary.ANALYZERS))
