"""Typed readers for policy YAML: strict loading (no duplicate keys) and one-line errors.

Each reader takes the key path it reads (``roles.dev.rules[1].actions``) so a refusal names the
file, the path and the problem; ``seawall.authz.policy_load`` builds the policy with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from seawall.errors import ConfigError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class Where:
    """A key path inside the policy file, for error messages (``roles.dev.rules[1].actions``)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> ConfigError:
        """A ConfigError naming the file, the key path and the problem."""
        return ConfigError(
            f"policy {self.source}: {path}: {problem}",
            hint="see docs/authz/policy.md; check it with `seawall authz validate FILE`",
        )


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML safely, refusing duplicate keys and empty files (one-line ConfigError)."""
    import yaml

    class _StrictLoader(yaml.SafeLoader):
        """SafeLoader refusing duplicate keys: YAML would silently keep the last one."""

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise ConfigError(f"policy {source}: line {line}: duplicate key {key!r}")
            seen.add(key)
        return loader.construct_mapping(node)

    _StrictLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        construct_mapping,
    )
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        first = str(exc).replace("\n", " ")[:200]
        raise ConfigError(f"policy {source}: invalid YAML ({first})") from None
    if data is None:
        raise ConfigError(f"policy {source}: empty file")
    return data


def mapping(where: Where, path: str, value: Any) -> Mapping[str, Any]:
    """A mapping with string keys, or a refusal naming ``path``."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise where.fail(path, "expected a mapping with string keys")
    return value


def keys(
    where: Where, path: str, value: Mapping[str, Any], *, required: set[str], optional: set[str]
) -> None:
    """Refuse missing required keys and unknown keys (a typo never passes silently)."""
    missing = sorted(required - value.keys())
    if missing:
        raise where.fail(path, f"missing key {missing[0]!r}")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        known = ", ".join(sorted(required | optional))
        raise where.fail(path, f"unknown key {unknown[0]!r} (known: {known})")


def string(where: Where, path: str, value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise where.fail(path, "expected a non-empty string")
    return value


def boolean(where: Where, path: str, value: Any) -> bool:
    """A YAML boolean (anything else, such as a string, is refused)."""
    if not isinstance(value, bool):
        raise where.fail(path, f"expected true or false (got {value!r})")
    return value


def integer(where: Where, path: str, value: Any, minimum: int) -> int:
    """An integer of at least ``minimum`` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise where.fail(path, f"expected an integer >= {minimum} (got {value!r})")
    return value


def texts(where: Where, path: str, value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise where.fail(path, "expected a list of non-empty strings")
    return tuple(value)


def names(where: Where, path: str, value: Any) -> frozenset[str]:
    """A list of subject or role names (letters, digits, ``.``, ``_``, ``-``, ``@``)."""
    names = texts(where, path, value)
    for n in names:
        if not NAME.match(n):
            raise where.fail(path, f"not a valid name: {n!r}")
    return frozenset(names)
