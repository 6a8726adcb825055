"""Redaction of secret-looking values in text that writers print (env entries, build history).

A pure helper for every output that shows image configuration: ``seawall.output`` may import
only ``seawall.model``, so the richer detector the audit rules use (which also explains *why*
a value is a secret) stays in ``seawall.audit`` (it shares the credential-word test,
``names_credential``); this module only hides values. It errs on the side of hiding: a value
is replaced by ``****`` when

- its variable name has a credential word in it (``DB_PASSWORD``, ``GITHUB_TOKEN``, ``API_KEY``,
  ``AWS_SECRET_ACCESS_KEY``, ``*_CREDENTIALS``, ``MYSQL_PWD``), matched on whole words so
  ``TOKENIZERS_PARALLELISM`` is kept, unless the name's last word says the value only points at
  the secret (``PASSWORD_FILE``, ``TOKEN_URL``, ``SECRETS_DIR``); or
- the value has the shape of a well-known credential wherever it appears (PEM private keys, AWS
  access key IDs, GitHub/GitLab/Slack/Stripe/Google/npm tokens, ``user:password@`` in a URL,
  ``--password VALUE`` on a command line).
"""

from __future__ import annotations

import re
from itertools import pairwise

#: What a hidden value is replaced with.
REDACTED = "****"

_CREDENTIAL_ENDINGS = (
    "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
    "CREDENTIAL", "CREDENTIALS", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SECRETKEY",
)  # fmt: skip
#: ``<word>_KEY`` pairs that name a credential; a bare ``KEY`` or ``GPG_KEY`` does not.
_KEY_KINDS = frozenset({"API", "ACCESS", "PRIVATE", "SECRET", "AUTH", "ENCRYPTION", "SIGNING"})
#: Last words that make the variable point at the secret rather than hold it.
_POINTER_WORDS = frozenset({"FILE", "PATH", "DIR", "URL", "URI", "HOST", "PORT", "USER", "NAME"})

# Known credential shapes: group ``keep`` is a public prefix that may stay visible.
_SHAPES = (
    re.compile(
        r"(?P<keep>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----)"
        r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|.*\Z)",
        re.DOTALL,
    ),
    re.compile(r"(?<![A-Z0-9])(?P<keep>AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    re.compile(r"\b(?P<keep>gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}"),
    re.compile(r"\b(?P<keep>glpat-)[A-Za-z0-9_-]{20,}"),
    re.compile(r"\b(?P<keep>xox[abprs]-)[A-Za-z0-9-]{10,}"),
    re.compile(r"\b(?P<keep>[sr]k_live_)[A-Za-z0-9]{20,}"),
    re.compile(r"\b(?P<keep>AIza)[0-9A-Za-z_-]{35}"),
    re.compile(r"\b(?P<keep>npm_)[A-Za-z0-9]{36}\b"),
    # scheme://user:password@host — the user stays, the password goes.
    # (The look-behind starts a scheme only at a boundary: linear time on long text.)
    re.compile(
        r"(?<![A-Za-z0-9+.-])(?P<keep>[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@'\"]+:)[^\s/@'\"]+(?=@)"
    ),
    # --password VALUE / --token=VALUE on a command line.
    re.compile(
        r"(?P<keep>(?<![\w-])--(?:password|passwd|token|api-key|apikey|secret|client-secret|"
        r"access-token|auth-token)[= ]+)(?:\"[^\"]*\"|'[^']*'|[^\s;&|\"']+)"
    ),
)
#: ``NAME=value`` in ENV/ARG history lines and shell commands (value possibly quoted).
_ASSIGNMENT = re.compile(
    r"(?<![\w.$-])(?P<name>[A-Za-z_][\w.-]*)=(?P<value>\"[^\"]*\"|'[^']*'|[^\s;&|\"'`]*)"
)


def name_words(name: str) -> list[str]:
    """The upper-cased words of a variable name (``spring.datasource.password`` -> 3 words)."""
    return [w for w in re.split(r"[^A-Z0-9]+", name.upper()) if w]


def names_credential(words: list[str], key_kinds: frozenset[str] = _KEY_KINDS) -> bool:
    """True when a name's words (``name_words``) name a credential, whole words only.

    A word is ``PASS`` or ends in a credential word (``DBPASSWORD``, ``AUTHTOKEN``), or the
    name is ``<kind>_KEY`` with a kind from ``key_kinds`` (a bare ``KEY`` or ``GPG_KEY`` is not).
    """
    if any(w == "PASS" or w.endswith(_CREDENTIAL_ENDINGS) for w in words):
        return True
    # MYSQL_PWD is a password; a bare PWD is the shell's working directory.
    if "PWD" in words and len(words) > 1:
        return True
    return any(b == "KEY" and a in key_kinds for a, b in pairwise(words))


def is_secret_name(name: str) -> bool:
    """True when a variable name says it holds a credential (and not just where one is)."""
    words = name_words(name)
    if not words or words[-1] in _POINTER_WORDS:
        return False
    return names_credential(words)


def _hide_shapes(text: str) -> str:
    for shape in _SHAPES:
        text = shape.sub(lambda m: m.group("keep") + REDACTED, text)
    return text


def _hide_assignment(match: re.Match[str]) -> str:
    name, value = match.group("name"), match.group("value")
    if value.strip("\"'") and is_secret_name(name):
        return f"{name}={REDACTED}"
    return match.group(0)


def redact_env(entry: str) -> str:
    """An ``Env`` entry (``NAME=value``) with the value hidden when it looks like a secret."""
    name, sep, value = entry.partition("=")
    if sep and value and is_secret_name(name):
        return f"{name}={REDACTED}"
    return f"{name}{sep}{_hide_shapes(value)}" if sep else _hide_shapes(entry)


def redact_text(text: str) -> str:
    """Free text (a history line, a command) with every secret-looking value hidden."""
    return _hide_shapes(_ASSIGNMENT.sub(_hide_assignment, text))


_SECRET_FLAG = re.compile(
    r"^--?(?:password|passwd|token|api-key|apikey|secret|client-secret|access-token|auth-token)$",
    re.IGNORECASE,
)


def redact_argv(argv: list[str]) -> list[str]:
    """A command as an argument list (``Cmd``, ``Entrypoint``) with secret values hidden.

    Each argument is redacted as text, and the argument after a ``--password``-style flag is
    hidden whole.
    """
    out: list[str] = []
    for i, arg in enumerate(argv):
        hide = i > 0 and bool(_SECRET_FLAG.match(argv[i - 1]))
        out.append(REDACTED if hide and arg else redact_text(arg))
    return out
