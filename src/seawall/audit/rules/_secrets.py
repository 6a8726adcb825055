"""Secret-looking values in image configs, build history and service specs; and redaction.

Pure helpers shared by IM010 (secrets in images) and SW004 (secrets in swarm services).
A value is reported when

- its **name** looks like a credential (``DB_PASSWORD``, ``GITHUB_TOKEN``, ``AWS_SECRET_ACCESS_KEY``,
  ``API_KEY``, ``*_CREDENTIALS`` ...), matched on whole words so ``TOKENIZERS_PARALLELISM`` is
  not; or
- its **value** has the shape of a known credential wherever it appears (AWS access key IDs,
  PEM private keys, GitHub/GitLab/Slack/Stripe/Google/npm tokens, ``user:password@`` in URLs).

Name matches are not reported when the value is clearly not the secret itself (the false
positives that matter in real images):

- empty values, booleans (``true``/``false``/``yes``/``no``/``on``/``off``);
- references: ``$VAR``, ``${VAR}``, ``$(cmd)``, and absolute paths (``/run/secrets/db``);
- names whose last word says the value is about the secret, not the secret
  (``PASSWORD_FILE``, ``TOKEN_URL``, ``SECRETS_DIR``, ``PASSWORD_MIN_LEN``, ``TOKEN_TTL`` ...).

Every label this module returns is safe to print: it names the variable or the kind of
credential and shows ``****`` in place of the value (and at most a fixed, public prefix such
as ``AKIA`` or ``ghp_``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seawall.model.redact import REDACTED, name_words, names_credential

# ``<word>_KEY`` pairs that name a credential (``API_KEY``, ``AWS_SECRET_ACCESS_KEY``,
# WordPress ``AUTH_KEY``); a bare ``KEY`` or ``GPG_KEY`` (a public fingerprint) is not one.
# The credential words themselves are ``seawall.model.redact``'s (one list for both).
_KEY_QUALIFIERS = frozenset(
    {"API", "ACCESS", "PRIVATE", "SECRET", "AUTH", "ENCRYPTION", "SIGNING", "MASTER"}
)
# Last words that make a name describe a secret rather than hold it.
_EXEMPT_LAST_WORDS = frozenset(
    {
        "FILE", "FILES", "PATH", "PATHS", "DIR", "DIRS", "DIRECTORY", "FILENAME", "LOCATION",
        "URL", "URI", "ENDPOINT", "HOST", "PORT", "USER", "USERNAME", "NAME",
        "TTL", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME", "AGE", "DAYS",
        "MIN", "MAX", "LEN", "LENGTH", "SIZE", "COUNT", "RETRIES",
        "ENABLED", "DISABLED", "ENABLE", "DISABLE", "REQUIRED",
        "TYPE", "MODE", "POLICY", "ALGORITHM", "FORMAT", "HEADER", "PREFIX",
        "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "REALM", "PROVIDER", "BACKEND", "STORE",
        "SOURCE", "VERSION", "LEVEL",
    }
)  # fmt: skip
_LITERALS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
_PATH_VALUE = re.compile(r"^/[\w.@+-]+(?:/[\w.@+-]*)*$")

# Known credential shapes. ``p`` is the public prefix kept in labels; the rest is redacted.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private key",
        re.compile(
            r"(?P<p>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)"
            r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|.*$)",
            re.DOTALL,
        ),
    ),
    ("AWS access key ID", re.compile(r"(?<![A-Z0-9])(?P<p>AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")),
    ("GitHub token", re.compile(r"\b(?P<p>gh[pousr]_)[A-Za-z0-9]{36,}\b")),
    ("GitHub token", re.compile(r"\b(?P<p>github_pat_)[A-Za-z0-9_]{22,}")),
    ("GitLab token", re.compile(r"\b(?P<p>glpat-)[A-Za-z0-9_-]{20,}")),
    ("Slack token", re.compile(r"\b(?P<p>xox[abprs]-)[A-Za-z0-9-]{10,}")),
    ("Stripe key", re.compile(r"\b(?P<p>[sr]k_live_)[A-Za-z0-9]{20,}")),
    ("Google API key", re.compile(r"\b(?P<p>AIza)[0-9A-Za-z_-]{35}")),
    ("npm token", re.compile(r"\b(?P<p>npm_)[A-Za-z0-9]{36}\b")),
)
# The scheme starts at the first letter of a run of scheme characters (what a plain search
# finds first). Matching from the run's start only (look-behind) and skipping its leading
# non-letters tries each run once: linear time on long text, not quadratic.
_URL_CREDS = re.compile(
    r"(?<![A-Za-z0-9+.-])[0-9+.-]*+"
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^\s/:@'\"]+):(?P<value>[^\s/@'\"]+)@(?P<host>[^\s/'\"?#:]+)"
)
_FLAG = re.compile(
    r"(?<![\w-])--(?P<name>password|passwd|token|api-key|apikey|secret|client-secret|access-token|auth-token)"
    r"\s+(?P<value>\"[^\"]*\"|'[^']*'|[^\s;&|]+)"
)
#: ``NAME=value`` as written in ENV/ARG history lines and shell command lines.
# A name starts at a letter or ``_`` not after a word character or ``$``: in a run of name
# characters, at its start or after its first ``.``/``-`` that allows one. Matching from the
# run's start only (look-behind) and committing to that first start (atomic group) tries
# each run once: linear time on long text, not quadratic.
_ASSIGN = re.compile(
    r"(?<![\w.-])(?>(?<!\$)(?=[A-Za-z_])|[\w.-]*?[.-](?=[A-Za-z_]))"
    r"(?P<name>[A-Za-z_][\w.-]*)=(?P<value>\"[^\"]*\"|'[^']*'|[^\s;&|\"'`]*)"
)


@dataclass(frozen=True, slots=True)
class SecretHit:
    """One secret-looking value found in a text.

    ``label`` is safe to print (the value is replaced by ``****``); ``start``/``end`` is the
    span of ``text`` that :func:`redact` replaces.
    """

    label: str
    start: int
    end: int


def is_secret_name(name: str) -> bool:
    """True when a variable name looks like it holds a credential (whole-word match)."""
    return names_credential(name_words(name), _KEY_QUALIFIERS)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def is_reference(name: str, value: str) -> bool:
    """True when a secret-named variable's value is clearly not the secret itself.

    Empty values, booleans, ``$`` references and absolute paths, or a name whose last word
    describes the secret (``PASSWORD_FILE``, ``TOKEN_TTL``).
    """
    v = _unquote(value).strip()
    if not v or v.lower() in _LITERALS or v.startswith(("$", "`")) or _PATH_VALUE.match(v):
        return True
    words = name_words(name)
    return bool(words) and words[-1] in _EXEMPT_LAST_WORDS


def value_kind(value: str) -> str | None:
    """The kind of credential a value contains (``AWS access key ID`` ...), or ``None``."""
    for kind, pattern in _PATTERNS:
        if pattern.search(value):
            return kind
    if (m := _URL_CREDS.search(value)) and not m.group("value").startswith("$"):
        return "credentials in URL"
    return None


def check_assignment(name: str, value: str) -> str | None:
    """Why ``name=value`` is a secret (the credential kind, or ``secret-looking name``), or ``None``."""
    kind = value_kind(_unquote(value))
    if kind:
        return kind
    if is_secret_name(name) and not is_reference(name, value):
        return "secret-looking name"
    return None


def assignment_label(prefix: str, name: str, kind: str) -> str:
    """A printable label for a secret assignment: ``ENV DB_PASSWORD=****`` (+ the kind)."""
    label = f"{prefix} {name}={REDACTED}".strip()
    return label if kind == "secret-looking name" else f"{label} ({kind})"


def assignments(text: str) -> list[tuple[str, str]]:
    """``NAME=value`` pairs in an ENV/ARG line or a shell command (values still quoted)."""
    return [(m.group("name"), m.group("value")) for m in _ASSIGN.finditer(text)]


def _overlaps(hits: list[SecretHit], start: int, end: int) -> bool:
    return any(start < h.end and h.start < end for h in hits)


def scan_text(text: str) -> tuple[SecretHit, ...]:
    """Every secret-looking value in a command line or free text, in order of position."""
    hits: list[SecretHit] = []

    def add(label: str, start: int, end: int) -> None:
        if end > start and not _overlaps(hits, start, end):
            hits.append(SecretHit(label, start, end))

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            add(f"{kind} {m.group('p')}{REDACTED}", m.end("p"), m.end())
    for m in _URL_CREDS.finditer(text):
        if not m.group("value").startswith("$"):
            label = f"credentials in URL {m.group('scheme')}{m.group('user')}:{REDACTED}@{m.group('host')}"
            add(label, m.start("value"), m.end("value"))
    for m in _FLAG.finditer(text):
        value = _unquote(m.group("value"))
        if value and not value.startswith(("$", "`", "-")):
            add(f"--{m.group('name')} {REDACTED}", m.start("value"), m.end("value"))
    for m in _ASSIGN.finditer(text):
        name, value = m.group("name"), m.group("value")
        if is_secret_name(name) and not is_reference(name, value):
            add(f"{name}={REDACTED}", m.start("value"), m.end("value"))
    return tuple(sorted(hits, key=lambda h: h.start))


def redact(text: str) -> str:
    """``text`` with every secret-looking value (as found by :func:`scan_text`) replaced by ``****``."""
    out = text
    for h in sorted(scan_text(text), key=lambda h: h.start, reverse=True):
        out = out[: h.start] + REDACTED + out[h.end :]
    return out
