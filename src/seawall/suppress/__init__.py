"""Suppressions: ignore files (and later inline pragmas and VEX). Findings are marked, never dropped."""
