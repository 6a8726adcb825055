"""The redaction helper every output uses for env entries, labels, commands and history."""

from __future__ import annotations

import pytest

from seawall.model.redact import REDACTED, is_secret_name, redact_argv, redact_env, redact_text


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "db_password",
        "GITHUB_TOKEN",
        "API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "MYSQL_PWD",
        "REDIS_PASS",
        "client-secret",
        "DOCKER_CREDENTIALS",
        "npmAuthToken".upper(),
        "AUTH_KEY",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PATH",
        "PWD",
        "TOKENIZERS_PARALLELISM",
        "GPG_KEY",
        "KEY",
        "PASSWORD_FILE",
        "TOKEN_URL",
        "SECRETS_DIR",
        "DB_USER",
        "HOME",
        "",
    ],
)
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ("DB_PASSWORD=hunter2", f"DB_PASSWORD={REDACTED}"),
        ("DB_PASSWORD=", "DB_PASSWORD="),
        ("PASSWORD_FILE=/run/secrets/pw", "PASSWORD_FILE=/run/secrets/pw"),
        ("PATH=/usr/bin", "PATH=/usr/bin"),
        ("URL=https://bob:pw@db.example.com/x", f"URL=https://bob:{REDACTED}@db.example.com/x"),
        ("HINT=AKIAIOSFODNN7EXAMPLE", f"HINT=AKIA{REDACTED}"),
        ("NOEQUALS", "NOEQUALS"),
    ],
)
def test_redact_env(entry: str, shown: str) -> None:
    assert redact_env(entry) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/bin/sh -c #(nop)  ENV API_TOKEN=abc123", f"/bin/sh -c #(nop)  ENV API_TOKEN={REDACTED}"),
        ('ENV DB_PASSWORD="a b c" OTHER=1', f"ENV DB_PASSWORD={REDACTED} OTHER=1"),
        (
            "RUN |1 NPM_TOKEN=xyz /bin/sh -c npm ci",
            f"RUN |1 NPM_TOKEN={REDACTED} /bin/sh -c npm ci",
        ),
        ("RUN login --password hunter2 && x", f"RUN login --password {REDACTED} && x"),
        ("RUN login --token=abc", f"RUN login --token={REDACTED}"),
        ("git clone https://u:p4ss@h/r.git", f"git clone https://u:{REDACTED}@h/r.git"),
        ("echo ghp_" + "x" * 36, f"echo ghp_{REDACTED}"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
            f"-----BEGIN RSA PRIVATE KEY-----{REDACTED}",
        ),
        ("ENV PASSWORD_FILE=/run/secrets/x", "ENV PASSWORD_FILE=/run/secrets/x"),
        ("echo $DB_PASSWORD", "echo $DB_PASSWORD"),
    ],
)
def test_redact_text(text: str, shown: str) -> None:
    assert redact_text(text) == shown


def test_redact_argv() -> None:
    assert redact_argv(["app", "--password", "x", "-token", "y", "--port", "80", "A_TOKEN=z"]) == [
        "app",
        "--password",
        REDACTED,
        "-token",
        REDACTED,
        "--port",
        "80",
        f"A_TOKEN={REDACTED}",
    ]
    assert redact_argv([]) == []


def test_long_hostile_text_takes_linear_time() -> None:
    import time

    for text in ("x." * 250_000, "a:" * 250_000, "https://" + "u" * 500_000, "_-" * 250_000):
        start = time.perf_counter()
        redact_text(text)
        redact_env("A=" + text)
        assert time.perf_counter() - start < 2.0, text[:10]
