"""The registry refuses malformed catalogues; the shipped catalogue is valid and complete."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from seawall.audit.rules import RULES
from seawall.errors import RegistryError
from seawall.model import Severity
from seawall.registry import Registry, rule


def _mk(rule_id: str, **kw: str) -> object:
    meta = {"title": "t", "rationale": "r", "remediation": "f", **kw}
    return rule(id=rule_id, severity=Severity.LOW, scope="host", **meta)(lambda facts: None)


def test_rejects_duplicate_ids() -> None:
    with pytest.raises(RegistryError, match="duplicate rule ID HO900"):
        Registry("t", [_mk("HO900"), _mk("HO900")])  # type: ignore[list-item]


@pytest.mark.parametrize("bad", ["HO1", "XX001", "ho001", "HO0011", ""])
def test_rejects_malformed_ids(bad: str) -> None:
    with pytest.raises(RegistryError, match="malformed rule ID"):
        Registry("t", [_mk(bad)])  # type: ignore[list-item]


def test_rejects_missing_metadata() -> None:
    with pytest.raises(RegistryError, match="has no remediation"):
        Registry("t", [_mk("HO901", remediation=" ")])  # type: ignore[list-item]


def test_every_rule_module_is_listed() -> None:
    import seawall.audit.rules as pkg

    listed = {r.check.__module__ for r in RULES}
    modules = set()
    for sub in pkgutil.iter_modules(pkg.__path__):
        subpkg = importlib.import_module(f"{pkg.__name__}.{sub.name}")
        for mod in pkgutil.iter_modules(getattr(subpkg, "__path__", [])):
            if not mod.name.startswith("_"):
                modules.add(f"{subpkg.__name__}.{mod.name}")
    assert modules - listed == set(), "rule modules not listed in their RULES tuple"


def test_rule_module_names_carry_their_id() -> None:
    for r in RULES:
        assert r.check.__module__.rsplit(".", 1)[1].startswith(r.id.lower() + "_"), r.id


def test_every_rule_has_docstring_and_texts() -> None:
    for r in RULES:
        assert r.check.__doc__, r.id
        assert len(r.meta.rationale) > 30 and len(r.meta.remediation) > 15, r.id
