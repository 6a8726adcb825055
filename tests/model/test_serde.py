"""Round trips and refusals of the generic dataclass <-> JSON conversion."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.facts.container import ContainerFacts, Mount
from seawall.model import Outcome
from seawall.model.serde import from_jsonable, to_jsonable


@dataclass(frozen=True, slots=True)
class _Sample:
    name: str
    count: int
    ratio: float
    tags: tuple[str, ...]
    outcome: Outcome
    extra: dict[str, int]
    maybe: str | None = None


@given(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.text()).map(tuple),
    st.sampled_from(list(Outcome)),
    st.dictionaries(st.text(), st.integers()),
    st.none() | st.text(),
)
def test_round_trip(
    name: str,
    count: int,
    ratio: float,
    tags: tuple[str, ...],
    outcome: Outcome,
    extra: dict[str, int],
    maybe: str | None,
) -> None:
    value = _Sample(name, count, ratio, tags, outcome, extra, maybe)
    assert from_jsonable(_Sample, to_jsonable(value)) == value


def test_nested_dataclasses_round_trip() -> None:
    c = ContainerFacts(
        id="x",
        name="n",
        image="i",
        image_id="sha",
        created="t",
        running=True,
        status="running",
        mounts=(Mount("bind", "/etc", "/e", False),),
        pids_limit=None,
    )
    assert from_jsonable(ContainerFacts, to_jsonable(c)) == c


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": 1}, "$.name: expected str"),
        ({"name": "a", "count": True}, "$.count: expected int"),
        ({"name": "a", "count": 1, "ratio": 1.0, "tags": "x"}, "$.tags: expected a list"),
        (
            {"name": "a", "count": 1, "ratio": 1.0, "tags": [], "outcome": "bogus"},
            "not a valid Outcome",
        ),
        ({"name": "a"}, "missing field 'count'"),
    ],
)
def test_refuses_bad_data_with_the_path(data: dict[str, object], message: str) -> None:
    base = {"name": "a", "count": 1, "ratio": 1.0, "tags": [], "outcome": "pass", "extra": {}}
    with pytest.raises(ValueError, match=message.replace("$", r"\$")):
        from_jsonable(_Sample, {**base, **data} if "missing" not in message else data)
