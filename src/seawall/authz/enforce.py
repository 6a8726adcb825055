"""What the enforcement points call: gather context, decide, log, and label what the proxy creates.

``Enforcer.authorize(subject, request)`` is shared by the AuthZ plugin and the socket proxy, so
both apply exactly the same policy. A missing or invalid policy fails closed: the ``PolicyHolder``
has no policy and every request is denied (the proxy refuses to start instead); a reload that
fails keeps the last good policy.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from seawall.authz.decide import CREATE_ACTIONS, Prepared, judge, prepare
from seawall.authz.gather import path_facts
from seawall.authz.log import DecisionLog
from seawall.authz.model import (
    ENGINE_SOCKETS,
    OWNER_LABEL,
    ApiRequest,
    Context,
    Decision,
    ResourceKind,
    Subject,
    TargetFacts,
    VolumeFacts,
)
from seawall.authz.policy import Policy
from seawall.authz.policy_load import load_policy
from seawall.errors import ConfigError


class Lookups(Protocol):
    """I/O the decision may need about the object a request targets (the proxy implements it)."""

    def target(self, kind: ResourceKind, ident: str) -> TargetFacts:
        """Owner label, configured user and container of ``ident``; ``known=False`` on failure."""
        ...

    def volume(self, name: str) -> VolumeFacts:
        """Driver and options of the named volume; ``exists=False`` when there is none."""
        ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision plus the body to forward (``None``: forward the original unchanged)."""

    decision: Decision
    body: bytes | None = None


class PolicyHolder:
    """The current policy of a running edge, reloadable; ``None`` until one loads (fail closed)."""

    def __init__(self, path: str | Path | None, policy: Policy | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._policy = policy
        self._lock = threading.Lock()
        self.last_error: str | None = None

    @classmethod
    def load(cls, path: str | Path) -> PolicyHolder:
        """Load ``path`` now; raises ConfigError when it is missing or invalid."""
        return cls(path, load_policy(path))

    @classmethod
    def load_or_closed(cls, path: str | Path) -> PolicyHolder:
        """Load ``path``; on error keep no policy (every request denied) and remember why."""
        holder = cls(path)
        holder.reload()
        return holder

    @property
    def policy(self) -> Policy | None:
        """The policy in force, or None (deny everything)."""
        return self._policy

    def reload(self) -> bool:
        """Re-read the file; on error keep the last good policy and return False."""
        if self.path is None:
            return False
        try:
            new = load_policy(self.path)
        except ConfigError as exc:
            self.last_error = exc.message
            keeping = (
                "keeping the last good one"
                if self._policy is not None
                else "denying every request until a valid one loads"
            )
            print(f"seawall authz: policy not loaded ({keeping}): {exc}", file=sys.stderr)
            return False
        with self._lock:
            self._policy = new
        self.last_error = None
        return True


class Enforcer:
    """Authorize requests for one edge ("plugin" or "proxy") under a PolicyHolder."""

    def __init__(
        self,
        policy: PolicyHolder,
        *,
        edge: str,
        lookups: Lookups | None = None,
        log: DecisionLog | None = None,
        sockets: tuple[str, ...] = (),
    ) -> None:
        self.holder = policy
        # The engine's sockets plus seawall's own (the proxy's listener): a container that
        # binds the proxy socket would reach the engine as whatever uid it chooses, root too.
        self.sockets = tuple(dict.fromkeys((*ENGINE_SOCKETS, *sockets)))
        self.edge = edge
        self.lookups = lookups
        self.log = log

    def authorize(self, subject: Subject, request: ApiRequest) -> Verdict:
        """Decide on one request, log the decision, and return what to forward."""
        policy = self.holder.policy
        if policy is None:
            why = self.holder.last_error or "no policy loaded"
            verdict = Verdict(Decision(False, "guard:no-policy", f"failing closed: {why}"))
        else:
            verdict = self._authorize(policy, subject, request)
        if self.log is not None:
            self.log.record(self.edge, subject, request, verdict.decision)
        return verdict

    def _authorize(self, policy: Policy, subject: Subject, request: ApiRequest) -> Verdict:
        prepared = prepare(policy, subject, request)
        if isinstance(prepared, Decision):
            return Verdict(prepared)
        decision = judge(prepared, self._context(prepared))
        if not decision.allow or self.edge != "proxy" or prepared.action not in CREATE_ACTIONS:
            return Verdict(decision)
        return self._labelled(prepared, decision)

    def _context(self, prepared: Prepared) -> Context:
        target = TargetFacts()
        ident = prepared.route.ident
        kind = prepared.route.kind
        if prepared.needs_target and self.lookups is not None and ident and kind is not None:
            target = self.lookups.target(kind, ident)
        paths = path_facts(prepared.paths, prepared.subject) if prepared.paths else {}
        volumes: dict[str, VolumeFacts] = {}
        if prepared.volumes and self.lookups is not None:
            # Bounded work per request: names past the first 64 count as unverifiable (denied).
            volumes = {
                name: self.lookups.volume(name) if i < 64 else VolumeFacts(name, known=False)
                for i, name in enumerate(prepared.volumes)
            }
        return Context(
            target=target,
            paths=paths,
            volumes=volumes,
            engine_sockets=self.sockets,
            edge=self.edge,
        )

    def _labelled(self, prepared: Prepared, decision: Decision) -> Verdict:
        """Set (and overwrite) the owner label on a create the proxy forwards."""
        from seawall.authz.body import BodyError, field, parse_body

        raw = prepared.request.body
        try:
            body = dict(prepared.body) if prepared.body is not None else parse_body(raw or b"{}")
        except BodyError as exc:
            return Verdict(
                Decision(
                    False,
                    "guard:body",
                    f"cannot set the owner label: request body refused: {exc}",
                    decision.action,
                    decision.resource,
                )
            )
        key = next((k for k in body if k.lower() == "labels"), "Labels")
        labels = field(body, "Labels")
        merged = dict(labels) if isinstance(labels, dict) else {}
        merged[OWNER_LABEL] = prepared.subject.name
        body[key] = merged
        return Verdict(decision, json.dumps(body, separators=(",", ":")).encode())
