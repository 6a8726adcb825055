"""Strict JSON request bodies: parse what the engine would read, refuse whatever is ambiguous.

The engine decodes request bodies with Go's ``encoding/json`` into moby's structs. Go matches
object keys to struct fields case-insensitively (and folds the non-ASCII ``ſ`` U+017F to
``s`` and the Kelvin sign ``K`` U+212A to ``k``), lets a repeated key win over an earlier
one, and ignores what follows the first value when it reads with a ``json.Decoder``. A filter
that reads the same bytes in another way can be made to see a harmless request while the
engine acts on a dangerous one
(``{"Privileged":false,"privileged":true}``, ``{"Hoſtconfig":{...}}``). So this parser refuses
every body on which two readings could disagree:

- bytes that are not UTF-8, a byte order mark, a lone UTF-16 surrogate (``"\\ud800"``, which
  Go turns into U+FFFD);
- a key that repeats, or two keys of one object equal under ASCII case folding, at any depth;
- a key with any non-ASCII character;
- ``NaN``/``Infinity`` and numbers out of range (Go refuses them), data after the value;
- more than ``MAX_DEPTH`` levels of nesting, ``MAX_KEYS`` keys, ``MAX_VALUES`` values or
  ``MAX_BODY_BYTES`` bytes (the limits are far above what docker CLI or SDK requests use).

With collisions refused, ``field`` can look names up the way Go does (exact name first, then
ASCII case-insensitively) without any ambiguity left.

Two shapes are accepted at the top: an object (every body the constrained actions use), and,
for the plugin actions whose body is a JSON array (the accepted privileges of ``plugin.install``
and ``plugin.upgrade``, the settings of ``plugin.set``), an array, through
``parse_request_body``. ``null`` reads as the empty value, as Go decodes it into a zero struct;
an empty body too, as the engine's ``ReadJSON`` treats it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping

#: Largest body parsed. The docker CLI sends a few KiB for ``docker run``; the proxy forwards
#: bigger bodies of actions that need none, but a constrained rule denies them.
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Deepest nesting of objects and arrays (a create body uses 5).
MAX_DEPTH = 64
#: Most object keys in one body, counted over all objects.
MAX_KEYS = 20_000
#: Most values (object members and array elements) in one body.
MAX_VALUES = 200_000

#: Actions whose body is a JSON array, and the key under which ``parse_request_body`` returns it.
ARRAY_BODIES: Mapping[str, str] = {
    "plugin.install": "Privileges",
    "plugin.upgrade": "Privileges",
    "plugin.set": "Settings",
}

_JSON_SPACE = " \t\n\r"  # the whitespace JSON allows around values
_LIMITS_TABLE = bytes.maketrans(b"123456789[D", b"000000000{d")
_LONG_NUMBER = b"0" * 19  # 19 digits in a row, once every digit reads as 0
_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1


class BodyError(ValueError):
    """A body the engine might read differently from us; ``str()`` is a one-line reason."""


def parse_body(raw: bytes) -> dict[str, object]:
    """Parse a JSON object body exactly as the engine would, or raise ``BodyError``.

    ``null`` and an empty body give ``{}``. Integers stay ``int``; see the module docstring for
    everything refused.
    """
    value = _parse(raw)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BodyError(f"expected a JSON object at the top, got {_kind(value)}")
    return value


def parse_list_body(raw: bytes) -> list[object]:
    """Parse a JSON array body (plugin privileges, plugin settings); ``null``/empty give ``[]``."""
    value = _parse(raw)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BodyError(f"expected a JSON array at the top, got {_kind(value)}")
    return value


def parse_request_body(action: str, raw: bytes) -> dict[str, object]:
    """Parse the body of ``action`` as its engine handler reads it.

    Array bodies (``ARRAY_BODIES``) come back wrapped in a one-key object, so every body the
    constraint checks see is a mapping: ``plugin.install`` gives ``{"Privileges": [...]}``.
    """
    key = ARRAY_BODIES.get(action)
    if key is None:
        return parse_body(raw)
    return {key: parse_list_body(raw)}


def field(obj: Mapping[str, object], name: str) -> object | None:
    """Look ``name`` up as Go matches struct fields: exact key first, then ASCII case-insensitive.

    Safe because ``parse_body`` refused objects with keys colliding under case folding.
    """
    if name in obj:
        return obj[name]
    folded = name.lower()
    for key, value in obj.items():
        if key.lower() == folded:
            return value
    return None


def _parse(raw: bytes) -> object:
    if len(raw) > MAX_BODY_BYTES:
        raise BodyError(f"body of {len(raw)} bytes is larger than the {MAX_BODY_BYTES} parsed")
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(f"body is not valid UTF-8 (byte {exc.start})") from None
    # Each key owns at least 4 bytes (``"":`` and one byte of its value), so a body shorter
    # than 4 * MAX_KEYS cannot break that limit: the shared decoder skips counting.
    decoder = _DECODER if len(raw) < 4 * MAX_KEYS else _decoder(_KeyCheck().object)
    try:
        value = _decode(decoder, text)
    except BodyError:
        raise
    except json.JSONDecodeError as exc:
        raise BodyError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise BodyError(f"nesting deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer literal with thousands of digits
        raise BodyError(f"invalid JSON number: {str(exc).splitlines()[0][:80]}") from None
    if _may_break_limits(raw):
        _walk(value)
    return value


def _decode(decoder: json.JSONDecoder, text: str) -> object:
    """``json.loads(text)`` with ``decoder``'s hooks, minus a Python-level wrapper call.

    The same steps and errors as ``json.loads`` and ``JSONDecoder.decode``: a BOM, no value,
    and data after the value are refused.
    """
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    value, end = decoder.raw_decode(text, start)
    rest = text[end:].lstrip(_JSON_SPACE)
    if rest:
        raise json.JSONDecodeError("Extra data", text, len(text) - len(rest))
    return value


def _may_break_limits(raw: bytes) -> bool:
    """Whether ``_walk`` must look at the parsed value; cheap byte counts rule most bodies out.

    Nesting needs a ``{`` or ``[`` per level, a value at least one byte, a lone surrogate a
    ``\\uD...`` escape (UTF-8 cannot carry one) and an integer out of the 64-bit range 19
    digits. Each count is an upper bound, so a body that passes them all cannot break a limit.
    One translated copy serves every count: digits read as ``0``, ``[`` as ``{`` and ``D`` as
    ``d`` (``d`` is no digit, so the escape survives; more matches only mean a walk).
    """
    if len(raw) >= MAX_VALUES:
        return True
    folded = raw.translate(_LIMITS_TABLE)
    return (
        folded.count(b"{") > MAX_DEPTH
        or (b"\\" in raw and b"\\ud" in folded)
        or _LONG_NUMBER in folded
    )


def key_folding(obj: Mapping[str, object]) -> Mapping[str, str]:
    """Each key of ``obj`` in ASCII lower case, mapped to the key as written (do not change it).

    For objects ``parse_body`` built the mapping is exact and usually already known (see
    ``_FOLDINGS``); for others, colliding keys keep the last one.
    """
    keys = tuple(obj)
    folding = _FOLDINGS.get(keys)
    if folding is None:
        folding = _checked_folding(keys)
        if folding is None:
            folding = {key.lower(): key for key in keys}
    return folding


#: Key sets already found unambiguous, with their folding. Clients send objects with the same
#: few key sets over and over (every ``docker run`` body has the same 70-odd HostConfig keys),
#: so each set is checked and folded once, then recognised by one tuple lookup. Only sets
#: that passed are kept, so a hit proves the keys fine. Bounded, since clients choose their
#: keys: when full it starts over.
_FOLDINGS: dict[tuple[str, ...], dict[str, str]] = {}
_MAX_FOLDINGS = 256
_MAX_FOLDING_KEYS = 256  # larger objects are checked every time, never kept


def _checked_folding(keys: tuple[str, ...]) -> dict[str, str] | None:
    """The folding of ``keys`` when they are ASCII and distinct under folding, else ``None``.

    The keys are joined by NUL and lowered in one C call each; a key holding a NUL itself
    splits into more parts than there were keys (it could mask a collision), so it fails too
    and goes to ``_refuse_keys``' exact verdict, as do a case collision or a non-ASCII key.
    """
    joined = "\x00".join(keys)
    if not joined.isascii():
        return None
    folded = joined.lower().split("\x00")
    if len(folded) != len(keys):
        return None
    folding = dict(zip(folded, keys, strict=True))
    if len(folding) != len(keys):
        return None
    if len(keys) <= _MAX_FOLDING_KEYS:
        if len(_FOLDINGS) >= _MAX_FOLDINGS:
            _FOLDINGS.clear()
        _FOLDINGS[keys] = folding
    return folding


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """The ``object_pairs_hook``: build one object, or raise ``BodyError`` for ambiguous keys.

    Called once per JSON object, so the usual case is a few C calls: a repeated key makes
    the dict shorter than the pairs, and a key set seen before needs no other check.
    """
    if not pairs:
        return {}
    obj = dict(pairs)
    if len(obj) != len(pairs):
        _refuse_keys(pairs)
    keys = tuple(obj)
    if keys not in _FOLDINGS and _checked_folding(keys) is None:
        _refuse_keys(pairs)
    return obj


class _KeyCheck:
    """A hook that also counts keys, for bodies long enough to hold more than ``MAX_KEYS``."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def object(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        """Count the keys (refusing past ``MAX_KEYS``), then check them as ``_object`` does."""
        self.count += len(pairs)
        if self.count > MAX_KEYS:
            raise BodyError(f"more than {MAX_KEYS} keys")
        return _object(pairs)


def _refuse_keys(pairs: list[tuple[str, object]]) -> None:
    """Raise the precise ``BodyError`` for an object whose keys are ambiguous.

    Returns when they are not (keys that merely contain a NUL, which ``_object`` cannot judge
    on its joined string).
    """
    seen: dict[str, str] = {}
    for key, _ in pairs:
        if not key.isascii():
            raise BodyError(
                f"key {_quote(key)} has a non-ASCII character "
                "(Go matches some of them to ASCII field names)"
            )
        folded = key.lower()
        earlier = seen.get(folded)
        if earlier is not None:
            if earlier == key:
                raise BodyError(f"duplicate key {_quote(key)}")
            raise BodyError(
                f"keys {_quote(earlier)} and {_quote(key)} differ only in case "
                "(Go treats them as the same field)"
            )
        seen[folded] = key


def _walk(value: object) -> None:
    """Check depth, value count, string code points and integer ranges without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise BodyError(f"more than {MAX_VALUES} values")
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            _scalar(item)
            continue
        if depth > MAX_DEPTH:
            raise BodyError(f"nesting deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _scalar(item: object) -> None:
    if isinstance(item, str):
        if not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BodyError(
                    "a string holds a lone UTF-16 surrogate (Go reads it as U+FFFD)"
                ) from None
    elif isinstance(item, int) and not _INT64_MIN <= item <= _UINT64_MAX:
        raise BodyError("an integer is outside the 64-bit range Go accepts")


def _constant(name: str) -> object:
    raise BodyError(f"{name} is not JSON (Go refuses it)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyError(f"number {text[:40]} is out of range (Go refuses it)")
    return value


def _decoder(hook: Callable[[list[tuple[str, object]]], dict[str, object]]) -> json.JSONDecoder:
    """A decoder with Go's refusals: ``hook`` for objects, no NaN/Infinity, finite floats."""
    return json.JSONDecoder(object_pairs_hook=hook, parse_constant=_constant, parse_float=_float)


#: The decoder of (almost) every body, shared as ``json.loads`` shares its default one (its
#: hooks keep no state; building a decoder per body costs a microsecond).
_DECODER = _decoder(_object)


def _quote(key: str) -> str:
    """A key for a one-line, ASCII-only message."""
    shown = key if len(key) <= 64 else key[:64] + "..."
    return json.dumps(shown)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
