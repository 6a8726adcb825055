"""Tests for the request normaliser: what the engine would act on, and what is refused."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seawall.authz.request import RequestRejected, normalise, parse_query, show


def _norm(uri: str) -> tuple[str | None, str]:
    req = normalise("GET", uri, body=b"", body_sent=False)
    return req.version, req.path


def test_a_plain_versioned_request() -> None:
    req = normalise(
        "post",
        "/v1.41/containers/create?name=web&name=other",
        body=b"{}",
        body_sent=True,
        content_type="application/json",
    )
    assert req.method == "POST"
    assert req.version == "1.41"
    assert req.path == "/containers/create"
    assert dict(req.query) == {"name": "web"}
    assert req.body == b"{}"
    assert req.body_sent is True
    assert req.content_type == "application/json"
    assert req.raw_uri == "/v1.41/containers/create?name=web&name=other"


def test_unversioned_and_unseen_body() -> None:
    req = normalise("GET", "/_ping", body=None, body_sent=True)
    assert (req.version, req.path, req.body, req.body_sent) == (None, "/_ping", None, True)
    assert dict(req.query) == {}


@pytest.mark.parametrize(
    ("uri", "version", "path"),
    [
        ("/v1.41/containers/json", "1.41", "/containers/json"),
        ("//v1.41//containers///json/", "1.41", "/containers/json"),
        ("/v1.24/containers/abc/start", "1.24", "/containers/abc/start"),
        ("/v01.041/_ping", "1.41", "/_ping"),  # the engine compares numerically
        ("/v1.23/containers/x/start", "1.23", "/containers/x/start"),
        ("/containers/json/", None, "/containers/json"),
        ("/", None, "/"),
        ("//", None, "/"),
        ("/containers/a%2Fb/json", None, "/containers/a/b/json"),  # decoded once, like Go
        ("/containers/a%2F%2Fb/json", None, "/containers/a/b/json"),
        ("/containers/%2561/json", None, "/containers/%61/json"),  # once, not twice
        ("/images/127.0.0.1:5000/a/b:1.0/json", None, "/images/127.0.0.1:5000/a/b:1.0/json"),
        ("/images/a%40sha256%3Aabc/json", None, "/images/a@sha256:abc/json"),
        ("/v1.41a/_ping", None, "/v1.41a/_ping"),  # not a version segment: an unknown path
        ("/V1.41/_ping", None, "/V1.41/_ping"),
        ("/v1.41/v1.40/_ping", "1.41", "/v1.40/_ping"),
        ("/containers/caf%C3%A9/json", None, "/containers/café/json"),
        ("/containers/x/json?", None, "/containers/x/json"),
    ],
)
def test_paths(uri: str, version: str | None, path: str) -> None:
    assert _norm(uri) == (version, path)


@pytest.mark.parametrize(
    ("method", "uri", "guard"),
    [
        ("GE T", "/_ping", "guard:method"),
        ("", "/_ping", "guard:method"),
        ("GET1", "/_ping", "guard:method"),
        ("PO\u017fT", "/_ping", "guard:method"),  # long s upper-cases to S: refused first
        ("GET", "", "guard:path"),
        ("GET", "*", "guard:path"),
        ("GET", "http://localhost/v1.41/_ping", "guard:path"),
        ("GET", "_ping", "guard:path"),
        ("GET", "/_ping#x", "guard:path"),
        ("GET", "/_ping?a=1#x", "guard:path"),
        ("GET", "/containers/a b/json", "guard:path"),
        ("GET", "/containers/a\tb/json", "guard:path"),
        ("GET", "/containers/caf\u00e9/json", "guard:path"),  # raw non-ASCII
        ("GET", "/containers/%zz/json", "guard:path"),
        ("GET", "/containers/%4/json", "guard:path"),
        ("GET", "/containers/x%", "guard:path"),
        ("GET", "/containers/%00/json", "guard:path"),
        ("GET", "/containers/a%0Ab/json", "guard:path"),
        ("GET", "/containers/a%7Fb/json", "guard:path"),
        ("GET", "/containers/a%C2%85b/json", "guard:path"),  # C1 control (NEL)
        ("GET", "/containers/%FF/json", "guard:path"),  # not UTF-8
        ("GET", "/containers/../json", "guard:path"),
        ("GET", "/containers/./json", "guard:path"),
        ("GET", "/containers/%2e%2e/json", "guard:path"),
        ("GET", "/containers/%2E/json", "guard:path"),
        ("GET", "/containers/x%2F..%2Fy/json", "guard:path"),
        ("GET", "/v1.41/..", "guard:path"),
        ("GET", "/..", "guard:path"),
        ("GET", "/v1.41", "guard:path"),
        ("GET", "/v1.41/", "guard:path"),
        ("GET", "/v1.41?x=1", "guard:path"),
        ("GET", "/v1..2/_ping", "guard:version"),
        ("GET", "/v.1/_ping", "guard:version"),
        ("GET", "/v1/_ping", "guard:version"),
        ("GET", "/v1.41.0/_ping", "guard:version"),
        ("GET", "/v./_ping", "guard:version"),
        ("GET", "/v1234567.1/_ping", "guard:version"),
        ("GET", "/_ping?a=1;b=2", "guard:query"),
        ("GET", "/_ping?a=%zz", "guard:query"),
        ("GET", "/_ping?a=%", "guard:query"),
        ("GET", "/_ping?%ff=1", "guard:query"),
        ("GET", "/_ping?a=%C3", "guard:query"),
    ],
)
def test_rejections(method: str, uri: str, guard: str) -> None:
    with pytest.raises(RequestRejected) as err:
        normalise(method, uri, body=b"", body_sent=False)
    assert err.value.guard == guard
    assert err.value.reason
    assert "\n" not in err.value.reason
    assert str(err.value).startswith(guard)


def test_reasons_truncate_huge_input() -> None:
    uri = "/containers/" + "a" * 100_000 + "/../json"
    with pytest.raises(RequestRejected) as err:
        normalise("GET", uri, body=b"", body_sent=False)
    assert len(err.value.reason) < 200
    assert "100020 characters" in err.value.reason
    assert show("x" * 10) == "'xxxxxxxxxx'"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a=1&b=2", {"a": "1", "b": "2"}),
        ("a=1&a=2", {"a": "1"}),  # url.Values.Get: the first value
        ("a=&a=2", {"a": ""}),
        ("A=1&a=2", {"A": "1", "a": "2"}),  # keys are case-sensitive
        ("a", {"a": ""}),
        ("&&a=1&", {"a": "1"}),
        ("=x", {"": "x"}),
        ("a=b=c", {"a": "b=c"}),
        ("q=a+b%2Bc", {"q": "a b+c"}),
        ("f%6frm=1", {"form": "1"}),
        ("fromImage=127.0.0.1%3A5000%2Fapp", {"fromImage": "127.0.0.1:5000/app"}),
        ("filters=%7B%22label%22%3A%5B%22a%22%5D%7D", {"filters": '{"label":["a"]}'}),
        ("m=line1%0Aline2", {"m": "line1\nline2"}),  # Go keeps control characters in values
        ("", {}),
    ],
)
def test_query_parsing_matches_go(raw: str, expected: dict[str, str]) -> None:
    assert parse_query(raw) == expected


def test_query_is_read_only() -> None:
    req = normalise("GET", "/containers/json?all=1", body=b"", body_sent=False)
    with pytest.raises(TypeError):
        req.query["all"] = "0"  # type: ignore[index]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "Application/X-WWW-Form-Urlencoded ; charset=utf-8",
        "application/x-www-form-urlencoded; bad",  # Go still parses the form then
        " multipart/form-data; boundary=x",
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT", "GET"])
def test_form_bodies_are_refused(content_type: str, method: str) -> None:
    # measured on dockerd 20.10: POST /containers/X/restart?t=1 with the form body t=fromBody
    # acts on "fromBody"; the query seawall judged would not be the one the engine reads
    with pytest.raises(RequestRejected) as err:
        normalise(
            method,
            "/v1.41/build?version=1",
            body=b"version=2",
            body_sent=True,
            content_type=content_type,
        )
    assert err.value.guard == "guard:form-body"
    with pytest.raises(RequestRejected):  # a body the edge did not see is refused too
        normalise(method, "/build", body=None, body_sent=True, content_type=content_type)


def test_form_content_type_without_body_is_fine() -> None:
    req = normalise(
        "POST",
        "/containers/x/restart?t=1",
        body=b"",
        body_sent=False,
        content_type="application/x-www-form-urlencoded",
    )
    assert dict(req.query) == {"t": "1"}
    empty = normalise(
        "POST", "/_ping", body=b"", body_sent=True, content_type="multipart/form-data"
    )
    assert empty.body == b""
    for ct in ("application/json", "text/plain", "application/x-tar", ""):
        normalise("POST", "/build", body=b"x=1", body_sent=True, content_type=ct)


# -- properties ----------------------------------------------------------------------------

_URI_ALPHABET = st.sampled_from(
    [*"/./.%2eEfF0aAv1.4?&=;+#xX:@ ~_-", "%2F", "%2e", "%2E", "%00", "%C3%A9", "%ff", "é"]
)
_uris = st.one_of(
    st.text(max_size=60),
    st.lists(_URI_ALPHABET, max_size=30).map("".join),
    st.lists(_URI_ALPHABET, max_size=30).map(lambda parts: "/" + "".join(parts)),
)
_GUARDS = {"guard:method", "guard:path", "guard:version", "guard:query", "guard:form-body"}
_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$)")


@settings(max_examples=600)
@given(
    method=st.one_of(st.sampled_from(["GET", "post", "HEAD", "DELETE"]), st.text(max_size=8)),
    uri=_uris,
    body=st.one_of(st.none(), st.binary(max_size=20)),
    body_sent=st.booleans(),
    content_type=st.one_of(
        st.sampled_from(["", "application/json", "application/x-www-form-urlencoded"]),
        st.text(max_size=20),
    ),
)
@example(method="GET", uri="/v1.41/..%2f", body=b"", body_sent=False, content_type="")
def test_normalise_only_raises_request_rejected(
    method: str, uri: str, body: bytes | None, body_sent: bool, content_type: str
) -> None:
    try:
        req = normalise(method, uri, body=body, body_sent=body_sent, content_type=content_type)
    except RequestRejected as exc:
        guard = exc.guard
        assert guard in _GUARDS, guard
        return
    assert req.path.startswith("/")
    assert "//" not in req.path
    assert not _SEGMENT.search(req.path)
    assert req.path == "/" or not req.path.endswith("/")
    assert req.method.isascii() and req.method.isupper()
    if req.version is not None:
        assert re.fullmatch(r"[0-9]+\.[0-9]+", req.version)


@settings(max_examples=400)
@given(uri=_uris)
def test_normalise_is_idempotent(uri: str) -> None:
    try:
        first = normalise("GET", uri, body=b"", body_sent=False)
    except RequestRejected:
        return
    # re-encode the normal path (it may hold "%", "?" or non-ASCII after decoding once)
    again_uri = quote(first.path, safe="/:@!$&'()*+,=-._~")
    if first.version is not None:
        again_uri = f"/v{first.version}{again_uri}"
    again = normalise("GET", again_uri, body=b"", body_sent=False)
    assert (again.version, again.path) == (first.version, first.path)
