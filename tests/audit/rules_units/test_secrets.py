"""Secret detection and redaction (seawall.audit.rules._secrets)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.audit.rules._secrets import (
    REDACTED,
    assignment_label,
    assignments,
    check_assignment,
    is_secret_name,
    redact,
    scan_text,
    value_kind,
)

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
GH_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD", "MYSQL_ROOT_PASSWORD", "PGPASSWORD", "POSTGRES_PASSWD", "RABBITMQ_DEFAULT_PASS",
        "MYSQL_PWD", "GITHUB_TOKEN", "NPM_TOKEN", "_authToken", "CLIENT_SECRET", "SECRET_KEY_BASE",
        "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "API_KEY", "apikey", "STRIPE_APIKEY",
        "GOOGLE_APPLICATION_CREDENTIALS", "SSH_PRIVATE_KEY", "AUTH_KEY", "spring.datasource.password",
        "db-password", "GPG_PASSPHRASE",
    ],
)  # fmt: skip
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PATH",
        "PWD",
        "OLDPWD",
        "TOKENIZERS_PARALLELISM",
        "GPG_KEY",
        "PUBLIC_KEY",
        "KEY",
        "BYPASS_PROXY",
        "COMPASS_HOME",
        "PYTHON_SHA256",
        "HOSTNAME",
    ],
)
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PASSWORD_FILE", "/run/secrets/db"),
        ("DB_PASSWORD", "/run/secrets/db_password"),
        ("DB_PASSWORD", ""),
        ("DB_PASSWORD", '""'),
        ("GITHUB_TOKEN", "$GITHUB_TOKEN"),
        ("GITHUB_TOKEN", "${GITHUB_TOKEN}"),
        ("NPM_TOKEN", "$(cat /run/secrets/npm)"),
        ("SESSION_TOKEN_TTL", "3600"),
        ("PASSWORD_MIN_LEN", "12"),
        ("AUTH_TOKEN_ENABLED", "true"),
        ("SECRETS_DIR", "/run/secrets"),
        ("TOKEN_URL", "https://auth.example.com/token"),
        ("USE_PASSWORD", "false"),
        ("TOKEN_ISSUER", "https://auth.example.com/"),
        ("SECRET_BACKEND", "vault"),
    ],
)
def test_references_are_not_findings(name: str, value: str) -> None:
    assert check_assignment(name, value) is None


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("DB_PASSWORD", "hunter2", "secret-looking name"),
        ("DB_PASSWORD", "'hunter 2'", "secret-looking name"),
        ("DB_PASSWORD", "/Xy8!f", "secret-looking name"),
        ("KEY_ID", AWS_KEY, "AWS access key ID"),
        ("GH", GH_TOKEN, "GitHub token"),
        ("QUEUE_URL", "amqp://shop:rabbitpass@rabbitmq:5672/", "credentials in URL"),
        # A reference-looking name does not hide a value with a credential's shape.
        ("PASSWORD_FILE", AWS_KEY, "AWS access key ID"),
    ],
)
def test_findings(name: str, value: str, kind: str) -> None:
    assert check_assignment(name, value) == kind


def test_value_kinds() -> None:
    assert (
        value_kind(
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----"
        )
        == "private key"
    )
    assert value_kind("-----BEGIN PGP PRIVATE KEY BLOCK-----") == "private key"
    assert value_kind("-----BEGIN PUBLIC KEY-----") is None
    assert value_kind("https://${USER}:${PASS}@pypi.example.com/simple") is None
    assert value_kind("AKIAIOSFODNN7EXAMPLEX") is None  # 17 chars after AKIA: not a key ID
    assert value_kind("glpat-" + "x" * 20) == "GitLab token"
    assert value_kind("xoxb-123456789012-abcdef") == "Slack token"


def test_assignment_label_never_has_value() -> None:
    assert (
        assignment_label("ENV", "DB_PASSWORD", "secret-looking name")
        == f"ENV DB_PASSWORD={REDACTED}"
    )
    assert assignment_label("ARG", "K", "npm token") == f"ARG K={REDACTED} (npm token)"


def test_assignments() -> None:
    assert assignments('DB_PASSWORD=hunter2 PATH=/bin A="x y"') == [
        ("DB_PASSWORD", "hunter2"),
        ("PATH", "/bin"),
        ("A", '"x y"'),
    ]


COMMANDS = [
    ("export API_TOKEN=s3cr3tvalue && ./deploy.sh", "s3cr3tvalue", f"API_TOKEN={REDACTED}"),
    ("mysql --password s3cr3tvalue -h db", "s3cr3tvalue", f"--password {REDACTED}"),
    ("mysql --password=s3cr3tvalue -h db", "s3cr3tvalue", f"password={REDACTED}"),
    (
        "git clone https://deploy:s3cr3tvalue@git.example.com/x.git",
        "s3cr3tvalue",
        "credentials in URL",
    ),
    (
        f"aws configure set aws_access_key_id {AWS_KEY}",
        AWS_KEY[4:],
        f"AWS access key ID AKIA{REDACTED}",
    ),
    (f"echo {GH_TOKEN} | gh auth login --with-token", GH_TOKEN[4:], f"GitHub token ghp_{REDACTED}"),
    (
        "npm config set //registry.npmjs.org/:_authToken=s3cr3tvalue",
        "s3cr3tvalue",
        f"_authToken={REDACTED}",
    ),
    (
        "printf '-----BEGIN RSA PRIVATE KEY-----\\nMIIEs3cr3tvalue\\n-----END RSA PRIVATE KEY-----' > /k",
        "MIIEs3cr3tvalue",
        "private key -----BEGIN RSA PRIVATE KEY-----",
    ),
]


@pytest.mark.parametrize(("command", "secret", "label"), COMMANDS)
def test_scan_and_redact(command: str, secret: str, label: str) -> None:
    hits = scan_text(command)
    assert hits
    assert any(label in h.label for h in hits)
    for h in hits:
        assert secret not in h.label
    redacted = redact(command)
    assert secret not in redacted
    assert REDACTED in redacted


@pytest.mark.parametrize(
    "command",
    [
        'echo "$GITHUB_TOKEN" | docker login ghcr.io -u ci --password-stdin',
        "pip install --index-url https://${PIP_USER}:${PIP_PASSWORD}@pypi.example.com/simple app",
        "export NPM_TOKEN=$(cat /run/secrets/npm) && npm ci",
        "apt-get update && apt-get install -y passwd",
        "sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS 90/' /etc/login.defs",
        "useradd -r -u 10001 app && echo app:x | chpasswd -e --password-file /dev/null",
    ],
)
def test_clean_commands(command: str) -> None:
    assert scan_text(command) == ()
    assert redact(command) == command


_value = st.from_regex(r"[A-Za-z0-9!%+,.:=@^_~-]{8,40}", fullmatch=True).filter(
    lambda v: not v.startswith("-")
)


@given(
    value=_value,
    name=st.sampled_from(["DB_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "aws_secret_access_key"]),
    before=st.sampled_from(["", "export ", "cd /app && ", "env "]),
    after=st.sampled_from(["", " ./run.sh", " && make", "; echo done"]),
)
def test_redact_never_leaks_assigned_value(value: str, name: str, before: str, after: str) -> None:
    command = f"{before}{name}={value}{after}"
    assert value not in redact(command)
    assert all(value not in h.label for h in scan_text(command))


#: 200,000-character texts that made the URL and ``NAME=value`` patterns try every position
#: and scan to the end from each (quadratic: 30-90 s each before they were anchored).
HOSTILE = {
    "letters": "a" * 200_000,
    "dotted name": "a." * 100_000,
    "dashed name": "a-" * 100_000,
    "digits and letters": "1a" * 100_000,
    "dollar references": "$a.a" * 50_000,
    "slack-like": "xoxb-" * 40_000,
    "url without @": "a://u:" + "x" * 200_000,
    "underscores and dashes": "_-" * 100_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_long_hostile_text_takes_linear_time(text: str) -> None:
    start = time.perf_counter()
    scan_text(text)
    redact(text)
    value_kind(text)
    assignments(text)
    check_assignment("A", text)
    assert time.perf_counter() - start < 1.0
