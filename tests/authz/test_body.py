"""Strict body parsing: what the engine would read, and every ambiguous spelling refused."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.authz import body as body_mod
from seawall.authz.body import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_KEYS,
    BodyError,
    field,
    parse_body,
    parse_list_body,
    parse_request_body,
)
from tests.authz.cli_bodies import PLUGIN_PRIVILEGES, run_body


def test_a_docker_run_body_parses_to_the_same_values() -> None:
    raw = json.dumps(run_body()).encode()
    assert parse_body(raw) == run_body()


def test_integers_stay_integers_and_floats_floats() -> None:
    got = parse_body(b'{"Memory": 268435456, "CpuPercent": 0, "Ratio": 0.5}')
    assert got == {"Memory": 268435456, "CpuPercent": 0, "Ratio": 0.5}
    assert isinstance(got["Memory"], int)


@pytest.mark.parametrize(("raw", "expected"), [(b"null", {}), (b"", {}), (b" {} \n", {})])
def test_null_and_empty_bodies_are_the_zero_value(raw: bytes, expected: object) -> None:
    assert parse_body(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"Privileged":false,"Privileged":true}', 'duplicate key "Privileged"'),
        (b'{"HostConfig":{"Binds":[],"Binds":["/:/h"]}}', 'duplicate key "Binds"'),
        (b'{"a":[{"x":1,"x":2}]}', 'duplicate key "x"'),
        (b'{"Privileged":false,"privileged":true}', '"Privileged" and "privileged" differ'),
        (b'{"HostConfig":{},"HOSTCONFIG":{}}', '"HostConfig" and "HOSTCONFIG"'),
        # an escaped key is the same key once decoded, as in Go
        (b'{"Privileged":false,"Privil\\u0065ged":true}', 'duplicate key "Privileged"'),
    ],
)
def test_repeated_and_case_colliding_keys_are_refused(raw: bytes, reason: str) -> None:
    with pytest.raises(BodyError, match=reason):
        parse_body(raw)


@pytest.mark.parametrize(
    "raw",
    [
        '{"Ho\u017ftconfig":{"Privileged":true}}',  # U+017F (long s) folds to s in Go
        '{"HostConfig":{"Mas\u212aedPaths":[]}}',  # U+212A (Kelvin sign) folds to k
        '{"Ho\\u017ftConfig":{"Privileged":true}}',  # the same, as a JSON escape
        '{"Labels":{"café":"1"}}',  # any non-ASCII key, at any depth
    ],
)
def test_non_ascii_keys_are_refused(raw: str) -> None:
    with pytest.raises(BodyError, match="non-ASCII"):
        parse_body(raw.encode())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"Image":"\xff"}', "not valid UTF-8"),
        (b"\xef\xbb\xbf{}", "BOM"),
        (b'{"Image":"\\ud800"}', "lone UTF-16 surrogate"),
        (b'{"Memory":NaN}', "NaN is not JSON"),
        (b'{"Memory":-Infinity}', "-Infinity is not JSON"),
        (b'{"Memory":1e400}', "out of range"),
        (b'{"Memory":123456789012345678901234567890}', "64-bit range"),
        (b'{"Memory":' + b"9" * 5000 + b"}", "invalid JSON number"),
        (b'{"Image":"a"}{"Privileged":true}', "Extra data"),
        (b'{"Image":"a"} x', "Extra data"),
        (b"  ", "Expecting value"),
        (b'{"Image":"a",}', "invalid JSON"),
        (b'{"Image":"a\tb"}', "Invalid control character"),
        (b"[]", "expected a JSON object at the top, got an array"),
        (b'"x"', "got a string"),
        (b"true", "got a boolean"),
        (b"1", "got a number"),
    ],
)
def test_bodies_go_would_refuse_or_read_differently_are_refused(raw: bytes, reason: str) -> None:
    with pytest.raises(BodyError, match=reason):
        parse_body(raw)


def test_a_utf8_string_value_is_fine() -> None:
    assert parse_body('{"Labels":{"owner":"Zoë ſ"}}'.encode()) == {"Labels": {"owner": "Zoë ſ"}}


def _nested(depth: int) -> bytes:
    return ('{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)).encode()


def test_nesting_limit() -> None:
    parse_body(_nested(MAX_DEPTH))
    with pytest.raises(BodyError, match="nesting deeper"):
        parse_body(_nested(MAX_DEPTH + 1))
    with pytest.raises(BodyError, match="nesting deeper"):
        parse_body(b'{"a":' + b"[" * 100 + b"]" * 100 + b"}")


def test_nesting_beyond_the_interpreter_stack_is_a_body_error() -> None:
    with pytest.raises(BodyError, match="nesting deeper"):
        parse_body(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_key_and_size_limits() -> None:
    many = "{" + ",".join(f'"k{i}":{{}}' for i in range(MAX_KEYS + 1)) + "}"
    with pytest.raises(BodyError, match="more than"):
        parse_body(many.encode())
    with pytest.raises(BodyError, match="larger than"):
        parse_body(b'{"a":"' + b"x" * MAX_BODY_BYTES + b'"}')


def test_value_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_mod, "MAX_VALUES", 10)
    with pytest.raises(BodyError, match="more than 10 values"):
        parse_body(b'{"a":[1,2,3,4,5,6,7,8,9,10,11]}')


def test_reasons_are_one_ascii_line() -> None:
    with pytest.raises(BodyError) as err:
        parse_body('{"Hoſt\\nConfig":1}'.encode())
    assert "\n" not in str(err.value)
    assert str(err.value).isascii()


def test_field_matches_like_go() -> None:
    obj = parse_body(b'{"hostconfig":{"privileged":true},"Image":"x"}')
    assert field(obj, "HostConfig") == {"privileged": True}
    assert field(obj, "Image") == "x"
    assert field(obj, "image") == "x"
    assert field(obj, "User") is None


def test_array_bodies_of_plugin_actions() -> None:
    raw = json.dumps(PLUGIN_PRIVILEGES).encode()
    assert parse_list_body(raw) == PLUGIN_PRIVILEGES
    assert parse_list_body(b"null") == []
    assert parse_request_body("plugin.install", raw) == {"Privileges": PLUGIN_PRIVILEGES}
    assert parse_request_body("plugin.upgrade", b"[]") == {"Privileges": []}
    assert parse_request_body("plugin.set", b'["DEBUG=1"]') == {"Settings": ["DEBUG=1"]}
    assert parse_request_body("container.create", b'{"Image":"x"}') == {"Image": "x"}
    with pytest.raises(BodyError, match="expected a JSON array"):
        parse_request_body("plugin.install", b"{}")
    with pytest.raises(BodyError, match="duplicate key"):
        parse_request_body("plugin.install", b'[{"Name":"a","Name":"b"}]')
    with pytest.raises(BodyError, match="expected a JSON object"):
        parse_request_body("container.create", raw)


_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC_-0123456789", min_size=1, max_size=8)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
)


def _unique_folded(d: Mapping[str, object]) -> bool:
    return len({k.lower() for k in d}) == len(d)


_VALUES: st.SearchStrategy[object] = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_KEYS, inner, max_size=4).filter(_unique_folded)
    ),
    max_leaves=20,
)
_OBJECTS: st.SearchStrategy[dict[str, object]] = st.dictionaries(_KEYS, _VALUES, max_size=6).filter(
    _unique_folded
)


@given(_OBJECTS)
def test_property_unambiguous_bodies_round_trip(obj: dict[str, object]) -> None:
    assert parse_body(json.dumps(obj).encode()) == obj


@given(_OBJECTS, _KEYS)
def test_property_any_case_twin_of_a_key_is_refused(obj: dict[str, object], key: str) -> None:
    twin = key.swapcase() if key.swapcase() != key else key
    raw = json.dumps({**obj, key: 1})[:-1] + f', "{twin}": 2}}'
    with pytest.raises(BodyError):
        parse_body(raw.encode())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        # a key holding a NUL must not hide a collision or a repeat from the joined-key check
        (b'{"A":1,"a":2,"b\\u0000c":3}', '"A" and "a" differ only in case'),
        (b'{"x":1,"x":2,"a\\u0000b":3}', 'duplicate key "x"'),
        (b'{"a\\u0000b":1,"A\\u0000B":2}', "differ only in case"),
    ],
)
def test_keys_holding_a_nul_still_refuse_collisions(raw: bytes, reason: str) -> None:
    with pytest.raises(BodyError, match=reason):
        parse_body(raw)


def test_distinct_keys_holding_a_nul_are_fine() -> None:
    assert parse_body(b'{"a\\u0000b":1,"a":2,"b":3}') == {"a\x00b": 1, "a": 2, "b": 3}


def test_a_key_set_seen_before_is_still_checked_for_repeats_and_twins() -> None:
    parse_body(b'{"Image":"x","User":"1000"}')  # the key set is now known good
    with pytest.raises(BodyError, match='duplicate key "User"'):
        parse_body(b'{"Image":"x","User":"1000","User":"0"}')
    with pytest.raises(BodyError, match="differ only in case"):
        parse_body(b'{"Image":"x","User":"1000","user":"0"}')


def test_the_known_key_sets_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_mod, "_FOLDINGS", {})
    monkeypatch.setattr(body_mod, "_MAX_FOLDINGS", 3)
    for i in range(10):
        parse_body(f'{{"k{i}":1}}'.encode())
        assert len(body_mod._FOLDINGS) <= 3
    big = "{" + ",".join(f'"k{i}":1' for i in range(body_mod._MAX_FOLDING_KEYS + 1)) + "}"
    parse_body(big.encode())
    assert all(len(keys) <= body_mod._MAX_FOLDING_KEYS for keys in body_mod._FOLDINGS)


def test_key_folding() -> None:
    assert body_mod.key_folding({"HostConfig": 1, "Image": 2}) == {
        "hostconfig": "HostConfig",
        "image": "Image",
    }
    assert body_mod.key_folding({}) == {}
    assert body_mod.key_folding({"Ho\u017ft": 1}) == {"ho\u017ft": "Ho\u017ft"}  # not a parsed key


def test_the_key_limit_holds_just_above_the_length_that_skips_counting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Bodies shorter than 4 * MAX_KEYS bytes cannot hold more keys; longer ones are counted.
    monkeypatch.setattr(body_mod, "MAX_KEYS", 10)
    smallest = "{" + ",".join(f'"{chr(97 + i)}":0' for i in range(11)) + "}"
    assert len(smallest) >= 4 * 10
    with pytest.raises(BodyError, match="more than 10 keys"):
        parse_body(smallest.encode())
    assert (
        len(parse_body(("{" + ",".join(f'"{chr(97 + i)}":0' for i in range(10)) + "}").encode()))
        == 10
    )
