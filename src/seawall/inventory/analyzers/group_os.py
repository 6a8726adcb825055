"""Analyzers of the 'os' group, listed explicitly: os-release, dpkg, apk, rpm."""

from __future__ import annotations

from seawall.inventory.analyzer import Analyzer
from seawall.inventory.analyzers import apk, dpkg, os_release, rpm

ANALYZERS: tuple[Analyzer, ...] = (os_release.analyze, dpkg.analyze, apk.analyze, rpm.analyze)
