"""Configuration: ``.seawall.yaml`` + ``SEAWALL_*`` environment + flags, CLI winning.

The file supplies defaults per command (``audit:`` section) through click's ``default_map``,
so precedence is exactly: command line > environment > config file > built-in default.
Unknown keys are refused so a typo never silently changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seawall.errors import ConfigError

DEFAULT_CONFIG = ".seawall.yaml"
MAX_CONFIG_BYTES = 1024 * 1024

#: Keys accepted per command section, with the option name they set.
KNOWN: dict[str, frozenset[str]] = {
    "audit": frozenset(
        {
            "host",
            "host-root",
            "daemon-config",
            "benchmark",
            "format",
            "checks",
            "skip",
            "containers",
            "exclude-containers",
            "severity",
            "fail-on",
            "exit-code",
            "ignore-file",
            "show-suppressed",
            "container-max-age",
            "image-max-age",
            "allowed-registries",
            "image-files",
            "timeout",
            "workers",
            "cache-dir",
            "no-cache",
        }
    ),
}
_LISTS = {"checks", "skip", "containers", "exclude-containers", "allowed-registries"}


def load_config(path: str | None) -> dict[str, dict[str, Any]]:
    """Read a config file into click's ``default_map`` shape; ``{}`` when there is none."""
    explicit = path is not None
    p = Path(path or DEFAULT_CONFIG)
    if not p.exists():
        if explicit:
            raise ConfigError(f"config file {p} does not exist")
        return {}
    import yaml  # only when there is a file to read: keeps every command's start-up fast

    try:
        if p.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"config file {p}: larger than {MAX_CONFIG_BYTES} bytes")
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {p}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {p}: invalid YAML ({str(exc).splitlines()[0]})") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {p}: expected a mapping of command names (e.g. 'audit:')")
    out: dict[str, dict[str, Any]] = {}
    for section, values in data.items():
        if section not in KNOWN:
            raise ConfigError(
                f"config file {p}: unknown section {section!r} (known: {', '.join(KNOWN)})"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"config file {p}: section {section!r} must be a mapping")
        sect: dict[str, Any] = {}
        for key, value in values.items():
            if key not in KNOWN[section]:
                known = ", ".join(sorted(KNOWN[section]))
                raise ConfigError(f"config file {p}: unknown key {section}.{key} (known: {known})")
            if key in _LISTS:
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"config file {p}: {section}.{key} must be a list of strings")
            sect[key.replace("-", "_")] = value
        out[section] = sect
    return out
