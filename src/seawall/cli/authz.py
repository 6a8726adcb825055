"""``seawall authz validate|check|plugin|proxy``: role-based access to the Docker Engine API.

One policy file, two enforcement points (the engine's AuthZ plugin protocol and a filtering
socket proxy), and two commands to work on policies offline. Exit codes: ``check`` 0 allow,
1 deny, 2 error; ``validate`` 0 valid, 2 invalid; the servers 2 when they cannot start.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import TYPE_CHECKING

import click

from seawall.errors import ConfigError, UsageError

if TYPE_CHECKING:  # the commands import these lazily: `seawall --help` stays fast
    from seawall.authz.enforce import PolicyHolder
    from seawall.authz.log import DecisionLog
    from seawall.authz.model import ResourceKind, Subject, TargetFacts, VolumeFacts
    from seawall.authz.policy import Policy

_POLICY = click.option(
    "--policy",
    "policy_path",
    required=True,
    envvar="SEAWALL_AUTHZ_POLICY",
    type=click.Path(dir_okay=False),
    help="Policy file (YAML, docs/authz/policy.md). Env: SEAWALL_AUTHZ_POLICY.",
)
_LOG = click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="Decision log (JSON lines, rotated). Default: the policy's log.path; none when unset.",
)


@click.group()
def authz() -> None:
    """Role-based access control on the Docker API: validate, test and enforce a policy."""


@authz.command()
@click.argument("policy_path", type=click.Path(dir_okay=False))
def validate(policy_path: str) -> int:
    """Check a policy file; print a summary of its roles and bindings."""
    from seawall.authz.policy_load import load_policy

    policy = load_policy(policy_path)
    click.echo(f"{policy_path}: valid (policy version {policy.version})")
    for role in policy.roles:
        who = [b for b in policy.bindings if b.role == role.name]
        subjects = sorted(
            {f"user:{u}" for b in who for u in b.users}
            | {f"group:{g}" for b in who for g in b.groups}
            | {f"cert:{c}" for b in who for c in b.certs}
            | {f"token:{t}" for b in who for t in b.tokens}
            | ({"anonymous"} if any(b.anonymous for b in who) else set())
        )
        click.echo(
            f"  role {role.name}: {len(role.rules)} rule(s); bound to {', '.join(subjects) or 'nobody'}"
        )
    return 0


@authz.command()
@_POLICY
@click.option("--user", help="Unix user making the request (groups from NSS).")
@click.option("--group", "groups", multiple=True, help="Extra group of --user (repeatable).")
@click.option("--cert", help="TLS client certificate CN making the request.")
@click.option("--token-name", help="Name of the service token making the request.")
@click.option("--anonymous", is_flag=True, help="A request with no identity.")
@click.option("--method", required=True, help="HTTP method, e.g. POST.")
@click.option("--uri", required=True, help="Request URI, e.g. /v1.41/containers/create.")
@click.option("--body", "body_path", type=click.Path(dir_okay=False), help="Request body file.")
@click.option("--owner", help="Owner label of the target object (default: unknown).")
@click.option("--container-user", help="User the target container runs as (for exec).")
@click.option("--edge", type=click.Choice(["proxy", "plugin"]), default="proxy", show_default=True)
def check(
    policy_path: str,
    user: str | None,
    groups: tuple[str, ...],
    cert: str | None,
    token_name: str | None,
    anonymous: bool,
    method: str,
    uri: str,
    body_path: str | None,
    owner: str | None,
    container_user: str | None,
    edge: str,
) -> int:
    """Print the decision and the rule for one request: exit 0 allow, 1 deny, 2 error.

    The request goes through the same Enforcer as the chosen edge, with --owner and
    --container-user standing in for the proxy's lookups (named volumes count as new ones);
    like the real plugin, --edge plugin looks nothing up.
    """
    from seawall.authz.enforce import Enforcer, PolicyHolder
    from seawall.authz.model import Decision, TargetFacts
    from seawall.authz.policy_load import load_policy
    from seawall.authz.request import RequestRejected, normalise

    policy = load_policy(policy_path)
    subject = _subject(policy, user, groups, cert, token_name, anonymous)
    body = _read_body(body_path)
    known = owner is not None or container_user is not None
    target = TargetFacts(known=known, exists=known, owner=owner, user=container_user)
    enforcer = Enforcer(
        PolicyHolder(None, policy),
        edge=edge,
        lookups=None if edge == "plugin" else _GivenFacts(target),
    )
    try:
        request = normalise(method, uri, body=body, body_sent=bool(body))
    except RequestRejected as exc:
        decision = Decision(False, exc.guard, exc.reason)
    else:
        decision = enforcer.authorize(subject, request).decision
    verdict = "allow" if decision.allow else "deny"
    click.echo(f"{verdict}\t{decision.rule}\t{decision.action or '-'}\t{decision.reason}")
    return 0 if decision.allow else 1


class _GivenFacts:
    """``Lookups`` answering from the command line instead of an engine."""

    def __init__(self, target: TargetFacts) -> None:
        self._target = target

    def target(self, kind: ResourceKind, ident: str) -> TargetFacts:
        """The facts given with --owner / --container-user, whatever the object."""
        return self._target

    def volume(self, name: str) -> VolumeFacts:
        """No engine to ask: every named volume is judged as one the engine would create."""
        from seawall.authz.model import VolumeFacts

        return VolumeFacts(name, exists=False)


def _subject(
    policy: Policy,
    user: str | None,
    groups: tuple[str, ...],
    cert: str | None,
    token_name: str | None,
    anonymous: bool,
) -> Subject:
    from seawall.authz import identity
    from seawall.authz.model import Subject, SubjectKind

    given = [x for x in (user, cert, token_name) if x] + (["anonymous"] if anonymous else [])
    if len(given) != 1:
        raise UsageError("give exactly one of --user, --cert, --token-name, --anonymous")
    if groups and not user:
        raise UsageError("--group only applies with --user")
    if user:
        try:
            return identity.subject_for_user(user, groups)
        except KeyError:
            raise UsageError(f"unknown unix user {user!r}") from None
    if cert:
        return identity.subject_for_cert(cert)
    if token_name:
        if token_name not in {t.name for t in policy.tokens}:
            raise UsageError(f"no token named {token_name!r} in the policy")
        return Subject(SubjectKind.TOKEN, token_name)
    return identity.anonymous(policy)


def _read_body(path: str | None) -> bytes:
    if path is None:
        return b""
    try:
        with open(path, "rb") as fh:
            data = fh.read(16 * 1024 * 1024 + 1)
    except OSError as exc:
        raise UsageError(f"cannot read body file {path}: {exc.strerror or exc}") from None
    if len(data) > 16 * 1024 * 1024:
        raise UsageError(f"body file {path}: larger than 16 MiB")
    return data


def _log(log_path: str | None, holder: PolicyHolder) -> DecisionLog | None:
    from seawall.authz.log import DecisionLog

    spec = holder.policy.log if holder.policy is not None else None
    path = log_path or (spec.path if spec else None)
    if path is None:
        return None
    try:
        if spec is not None:
            return DecisionLog(path, max_bytes=spec.max_bytes, keep=spec.keep)
        return DecisionLog(path)
    except OSError as exc:
        raise ConfigError(f"decision log {path}: {exc.strerror or exc}") from None


def _on_signals(holder: PolicyHolder, stop: threading.Event) -> None:
    def reload(_sig: int, _frame: object) -> None:
        if holder.reload():
            print("seawall authz: policy reloaded", file=sys.stderr)

    def finish(_sig: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGHUP, reload)
    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)


@authz.command()
@_POLICY
@click.option("--name", default="seawall", show_default=True, help="Plugin name (socket name).")
@click.option(
    "--plugins-dir",
    default="/run/docker/plugins",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where the engine looks for plugin sockets.",
)
@_LOG
def plugin(policy_path: str, name: str, plugins_dir: str, log_path: str | None) -> int:
    """Serve the engine's AuthZ plugin protocol (enable: daemon.json authorization-plugins).

    A missing or invalid policy does not stop the plugin: it denies every request until a
    valid policy is loaded (SIGHUP reloads; a failed reload keeps the last good policy).
    """
    from seawall.authz.enforce import Enforcer, PolicyHolder
    from seawall.authz.plugin import plugin_socket_path, serve_plugin

    holder = PolicyHolder.load_or_closed(policy_path)
    log = _log(log_path, holder)
    socket_path = plugin_socket_path(name, plugins_dir)
    enforcer = Enforcer(holder, edge="plugin", lookups=None, log=log)
    stop = threading.Event()
    _on_signals(holder, stop)
    serve_plugin(
        socket_path,
        enforcer,
        stop=stop,
        ready=lambda: print(f"seawall authz plugin: listening on {socket_path}", file=sys.stderr),
    )
    return 0


@authz.command()
@_POLICY
@click.option(
    "--listen",
    default="unix:///run/seawall/docker.sock",
    show_default=True,
    help="unix:///path or tcp://127.0.0.1:PORT (TCP callers identify with a service token).",
)
@click.option(
    "--upstream", default="unix:///var/run/docker.sock", show_default=True, help="The engine."
)
@click.option(
    "--socket-mode", default="0660", show_default=True, help="Mode of the listening socket."
)
@click.option("--socket-group", help="Group owning the listening socket.")
@click.option("--allow-remote-tcp", is_flag=True, help="Allow a TCP listener off loopback.")
@click.option(
    "--max-body",
    default=4 * 1024 * 1024,
    show_default=True,
    type=click.IntRange(64 * 1024, 64 * 1024 * 1024),
    help="Largest JSON body read for a decision (bytes); larger requests get 413.",
)
@click.option(
    "--idle-timeout",
    default=300.0,
    show_default=True,
    type=click.FloatRange(1, 86400),
    help="Close client connections idle this long between requests (seconds).",
)
@_LOG
def proxy(
    policy_path: str,
    listen: str,
    upstream: str,
    socket_mode: str,
    socket_group: str | None,
    allow_remote_tcp: bool,
    max_body: int,
    idle_timeout: float,
    log_path: str | None,
) -> int:
    """Serve a filtering Docker socket that identifies callers by the kernel (SO_PEERCRED).

    Refuses to start without a valid policy; SIGHUP reloads it (a failed reload keeps the
    last good policy).
    """
    from seawall.authz.enforce import Enforcer, PolicyHolder
    from seawall.authz.proxy import ProxyConfig, UpstreamLookups, serve
    from seawall.authz.proxy.config import parse_address

    try:
        mode = int(socket_mode, 8)
    except ValueError:
        raise UsageError(
            f"--socket-mode {socket_mode!r}: expected an octal mode like 0660"
        ) from None
    holder = PolicyHolder.load(policy_path)
    log = _log(log_path, holder)
    config = ProxyConfig(
        listen=listen,
        upstream=upstream,
        socket_mode=mode,
        socket_group=socket_group,
        allow_remote_tcp=allow_remote_tcp,
        max_json_body=max_body,
        idle_timeout=idle_timeout,
    )
    # Binds of the proxy's own socket are denied like the engine's (see Enforcer).
    addresses = (parse_address(listen), parse_address(upstream))
    sockets = tuple(a.unix for a in addresses if a.unix is not None)
    enforcer = Enforcer(
        holder, edge="proxy", lookups=UpstreamLookups(upstream), log=log, sockets=sockets
    )
    stop = threading.Event()
    _on_signals(holder, stop)
    serve(
        config,
        enforcer,
        stop=stop,
        ready=lambda: print(f"seawall authz proxy: listening on {listen}", file=sys.stderr),
    )
    return 0
