"""Generic JSON <-> frozen dataclass conversion, driven by type hints.

Used to save and replay fact snapshots and to read them back in tests. It understands
dataclasses, ``X | None``, ``tuple[X, ...]``, ``dict[str, X]``, enums and JSON scalars, and
raises ``ValueError`` with the field path when data does not fit.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """Turn dataclasses, enums, tuples and dicts into plain JSON values (keys sorted later)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def from_jsonable(cls: type[T], data: Any, path: str = "$") -> T:
    """Build ``cls`` from JSON data, checking types as it goes."""
    return typing.cast(T, _convert(cls, data, path))


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    # Resolving string annotations is slow; a snapshot or cache entry converts thousands of
    # values of the same few classes.
    return typing.get_type_hints(tp)


@functools.cache
def _fields(tp: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(tp)


def _convert(tp: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, data, path)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError("; ".join(errors) or f"{path}: unexpected null")
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(data))
        if len(args) != len(data):
            raise ValueError(f"{path}: expected {len(args)} items")
        return tuple(
            _convert(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, data, strict=True))
        )
    if origin in (dict, typing.Mapping) or tp is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object")
        args = typing.get_args(tp) or (str, Any)
        return {str(k): _convert(args[1], v, f"{path}.{k}") for k, v in data.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object for {tp.__name__}")
        hints = _hints(tp)
        kwargs = {}
        for f in _fields(tp):
            if f.name in data:
                kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{path}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"{path}: missing field {f.name!r}")
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(data)
        except ValueError:
            raise ValueError(f"{path}: {data!r} is not a valid {tp.__name__}") from None
    if tp is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if tp in (str, int, float, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"{path}: expected {tp.__name__}, got {type(data).__name__}")
        return data
    if tp is type(None):
        if data is not None:
            raise ValueError(f"{path}: expected null")
        return None
    raise ValueError(f"{path}: unsupported type {tp!r}")
