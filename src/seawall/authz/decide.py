"""The one decision engine: ``decide(policy, subject, request, context) -> Decision``. Pure.

Order of judgement, first match wins:

1. built-in guards: an API version below the policy's minimum (old versions still act on
   old fields, e.g. a v1.23 start with a HostConfig body), a route not in the Engine API table
   (denied unless a rule lists the pseudo-action ``unknown``);
2. the subject's roles: the rules whose action globs grant the request's action, in policy
   order. ``default-deny`` when there is none;
3. per rule: the scope (``owned`` needs the target's owner label to be the subject's name, and
   an edge able to see it), then its constraints. A constrained rule needs the request body:
   a body that was sent but not seen (the plugin gets none for 1 MiB or more) is denied by
   ``guard:body-missing``, a body that cannot be parsed exactly as the engine would by
   ``guard:body``. The first rule that allows wins; otherwise the first violation is reported.

The edges use ``prepare`` + ``judge`` so they can gather the context a prepared request needs
(a target lookup, host path facts) between the two; ``decide`` runs both for pure callers.

Speed (every proxied request is decided): what depends only on the policy (the minimum
version, which rules a subject's roles give it, which of them grant an action) is computed
once per policy object and subject and kept in ``_index``; a body is parsed and wrapped in
one ``Section`` that ``host_paths`` and every rule's ``check`` share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from seawall.authz.body import BodyError, parse_request_body
from seawall.authz.check import check, host_paths, needs_body, volume_names
from seawall.authz.model import ApiRequest, Context, Decision, ResourceKind, Subject, SubjectKind
from seawall.authz.policy import Policy, Rule, Scope, action_matches
from seawall.authz.routes import RouteMatch, match
from seawall.authz.spec import Section

#: Actions that create an object the proxy labels with its owner: owned scope is fine for them.
CREATE_ACTIONS = frozenset({"container.create", "volume.create", "network.create"})

#: Object kinds whose owner label an edge can look up.
OWNED_KINDS = frozenset(
    {ResourceKind.CONTAINER, ResourceKind.EXEC, ResourceKind.VOLUME, ResourceKind.NETWORK}
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request understood: its route, the rules that could grant it, its parsed body."""

    subject: Subject
    request: ApiRequest
    route: RouteMatch
    rules: tuple[Rule, ...]
    body: Mapping[str, object] | None
    needs_target: bool
    paths: tuple[str, ...]
    #: ``body`` wrapped once, for the checks of every rule (``None`` when there is no body).
    top: Section | None = None
    #: Named volumes the request mounts, for the edge to look up (``Context.volumes``).
    volumes: tuple[str, ...] = ()

    @property
    def action(self) -> str:
        """The action name (``container.create``)."""
        return self.route.action

    @property
    def resource(self) -> str:
        """``kind:ident`` of the target, or the kind alone."""
        return _resource(self.route)


def version_tuple(version: str) -> tuple[int, ...]:
    """``"1.41"`` -> ``(1, 41)``; the normaliser already checked the digits."""
    return tuple(int(p) for p in version.split("."))


def prepare(policy: Policy, subject: Subject, request: ApiRequest) -> Prepared | Decision:
    """Judge what needs no I/O; return a final Decision or a Prepared request for ``judge``."""
    index = _index(policy)
    if request.version is not None and index.below_minimum(request.version):
        return Decision(
            False,
            "guard:api-version",
            f"API version {request.version} is below the minimum {policy.min_api_version} "
            "(old versions act on deprecated fields such as a start body's HostConfig)",
            resource=request.path,
        )
    grants = index.grants(subject)
    route = match(request.method, request.path, request.query)
    if route is None:
        explicit = grants.granting("unknown").rules
        if explicit:
            return Decision(True, explicit[0].name, "unknown route allowed explicitly", "unknown")
        return Decision(
            False,
            "guard:unknown-route",
            f"{request.method} {request.path} is not an Engine API route seawall knows",
            "unknown",
            request.path,
        )
    candidates = grants.granting(route.action)
    if not candidates.rules:
        roles = ", ".join(sorted({r.name.split("/")[0] for r in grants.rules})) or "none"
        return Decision(
            False,
            "default-deny",
            f"no rule of {subject.describe()} (roles: {roles}) grants {route.action}",
            route.action,
            _resource(route),
        )
    body: Mapping[str, object] | None = None
    top: Section | None = None
    if candidates.constrained and needs_body(route.action, request):
        if request.body is None:
            return Decision(
                False,
                "guard:body-missing",
                f"{route.action} needs its request body but it was not seen "
                "(the engine forwards no body of 1 MiB or more, nor non-JSON bodies)",
                route.action,
                _resource(route),
            )
        try:
            body = parse_request_body(route.action, request.body)
        except BodyError as exc:
            return Decision(
                False, "guard:body", f"request body refused: {exc}", route.action, _resource(route)
            )
        top = Section.of(body)
    needs_target = (
        route.ident is not None
        and route.kind in OWNED_KINDS
        and (route.action == "container.exec" or candidates.owned)
    )
    paths = host_paths(route.action, body, top=top)
    volumes = volume_names(route.action, body, top=top)
    return Prepared(
        subject, request, route, candidates.rules, body, needs_target, paths, top, volumes
    )


def judge(prepared: Prepared, context: Context) -> Decision:
    """Finish the decision for a prepared request with the context the edge gathered."""
    first: tuple[str, str] | None = None
    for rule in prepared.rules:
        problem = _scope_problem(rule, prepared, context)
        if problem is None:
            if rule.constraints.unrestricted:
                return _allow(prepared, rule, "unrestricted")
            violation = check(
                prepared.action,
                prepared.request,
                prepared.body,
                rule.constraints,
                context,
                prepared.subject,
                top=prepared.top,
            )
            if violation is None:
                return _allow(prepared, rule, "granted")
            problem = f"{violation.key}: {violation.reason}"
        if first is None:
            first = (rule.name, problem)
    if first is None:  # pragma: no cover - prepare() only returns Prepared with rules
        return Decision(False, "default-deny", "no rule", prepared.action, prepared.resource)
    return Decision(False, first[0], first[1], prepared.action, prepared.resource)


def decide(policy: Policy, subject: Subject, request: ApiRequest, context: Context) -> Decision:
    """The whole decision for callers that already hold the context."""
    prepared = prepare(policy, subject, request)
    if isinstance(prepared, Decision):
        return prepared
    return judge(prepared, context)


def _scope_problem(rule: Rule, prepared: Prepared, context: Context) -> str | None:
    if rule.scope is Scope.ALL or prepared.route.ident is None:
        owned_create = rule.scope is Scope.OWNED and prepared.action in CREATE_ACTIONS
        if owned_create and context.edge != "proxy":
            return (
                "scope owned: the AuthZ plugin cannot label what it creates; "
                "use the seawall socket proxy for owner-scoped roles"
            )
        return None
    if prepared.route.kind not in OWNED_KINDS:
        return f"scope owned: {prepared.route.kind} objects carry no owner label"
    target = context.target
    if context.edge != "proxy" or not target.known:
        return "scope owned: the owner of the target cannot be verified here"
    if target.owner != prepared.subject.name:
        return f"scope owned: {prepared.resource} is not owned by {prepared.subject.name}"
    return None


def _allow(prepared: Prepared, rule: Rule, why: str) -> Decision:
    return Decision(True, rule.name, why, prepared.action, prepared.resource)


def _resource(route: RouteMatch) -> str:
    kind = route.kind.value if route.kind else "-"
    return f"{kind}:{route.ident}" if route.ident else kind


# -- what depends only on the policy, computed once per policy object -------------------------


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The rules that grant one action to one subject, and what they ask of ``prepare``."""

    rules: tuple[Rule, ...]
    constrained: bool  # one of them has constraints, so the body is needed
    owned: bool  # one of them is owner-scoped, so the target is looked up


@dataclass(frozen=True, slots=True)
class _Grants:
    """The rules a subject's roles give it, in policy order; candidates per action on demand.

    ``by_action`` only ever holds the actions of the route table and ``unknown``.
    """

    rules: tuple[Rule, ...]
    by_action: dict[str, _Candidates] = field(default_factory=dict)

    def granting(self, action: str) -> _Candidates:
        """The rules whose action globs grant ``action``."""
        found = self.by_action.get(action)
        if found is None:
            rules = tuple(r for r in self.rules if action_matches(r.actions, action))
            found = _Candidates(
                rules,
                constrained=any(not r.constraints.unrestricted for r in rules),
                owned=any(r.scope is Scope.OWNED for r in rules),
            )
            self.by_action[action] = found
        return found


#: How many subjects (and API versions) one policy's index remembers before starting over:
#: callers choose their versions and certificate names, so the memory must stay bounded.
_MAX_REMEMBERED = 1024


class _Index:
    """Lookups of one policy that do not depend on the request body, filled as they are asked.

    Concurrent callers may fill an entry twice; both compute the same value, so that is
    harmless, and no lock is needed on the decision path.
    """

    __slots__ = ("_below", "_minimum", "_subjects", "policy")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._minimum = version_tuple(policy.min_api_version)
        self._below: dict[str, bool] = {}
        self._subjects: dict[tuple[SubjectKind, str, frozenset[str]], _Grants] = {}

    def below_minimum(self, version: str) -> bool:
        """True when API ``version`` is older than the policy's minimum."""
        below = self._below.get(version)
        if below is None:
            below = version_tuple(version) < self._minimum
            if len(self._below) >= _MAX_REMEMBERED:
                self._below.clear()
            self._below[version] = below
        return below

    def grants(self, subject: Subject) -> _Grants:
        """The rules of ``subject``'s roles.

        Bindings match on kind, name and groups only (``Binding.matches``), so those are the
        key: a user's uid and pid, which change per connection, do not split the cache.
        """
        key = (subject.kind, subject.name, subject.groups)
        grants = self._subjects.get(key)
        if grants is None:
            roles = self.policy.roles_for(subject)
            grants = _Grants(tuple(r for role in roles for r in role.rules))
            if len(self._subjects) >= _MAX_REMEMBERED:
                self._subjects.clear()
            self._subjects[key] = grants
        return grants


#: Indexes by ``id(policy)``. Each holds its policy, so an id cannot be reused while cached;
#: a handful is kept (the current policy, and a few older ones after reloads or in tests).
_INDEXES: dict[int, _Index] = {}
_MAX_POLICIES = 8


def _index(policy: Policy) -> _Index:
    """The index of ``policy``, built on first use."""
    index = _INDEXES.get(id(policy))
    if index is None or index.policy is not policy:
        index = _Index(policy)
        if len(_INDEXES) >= _MAX_POLICIES:
            _INDEXES.pop(next(iter(_INDEXES)), None)
        _INDEXES[id(policy)] = index
    return index
