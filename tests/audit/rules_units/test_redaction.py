"""No rule of sections 4, 7 or the lifecycle checks ever prints a secret value.

Runs every registered rule against facts that carry secrets in every place a secret can sit
(image env, labels, ARG/ENV history, build arguments, RUN lines, healthcheck, ADD URLs,
service env and args) and checks that no value appears in any message, evidence or reason.
"""

from __future__ import annotations

from typing import Any

from seawall.audit.engine import run_rules
from seawall.audit.rules import RULES
from seawall.model import Outcome
from tests.audit.facts_fixture import facts_from_fixture
from tests.audit.test_rule_fixtures import BENCH

SECRETS = {
    "env": "Tr0ub4dorEnvValue",
    "label": "LabelS3cretValue",
    "arg": "ArgS3cretValue",
    "buildarg": "npm_" + "Q" * 36,
    "run": "RunS3cretValue",
    "url": "UrlS3cretValue",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "health": "HealthS3cretValue",
    "svc": "SvcS3cretValue",
    "svcarg": "SvcArgS3cretValue",
}


def _image() -> dict[str, Any]:
    history = [
        ("/bin/sh -c #(nop) ADD file:" + "1" * 64 + " in / ", 74_792_349),
        (f"/bin/sh -c #(nop)  ARG API_TOKEN={SECRETS['arg']}", 0),
        (f"/bin/sh -c #(nop)  ENV DB_PASSWORD={SECRETS['env']}", 0),
        (
            f"|2 API_TOKEN={SECRETS['arg']} NPM_AUTH={SECRETS['buildarg']} /bin/sh -c apt-get update",
            18_553_012,
        ),
        (
            f"/bin/sh -c export DEPLOY_TOKEN={SECRETS['run']} && aws configure set aws_access_key_id {SECRETS['aws']}",
            1_024,
        ),
        (
            f"ADD https://ci:{SECRETS['url']}@artifacts.example.com/app.tgz /opt/ # buildkit",
            5_773_019,
        ),
    ]
    return {
        "Id": "sha256:" + "e" * 64,
        "RepoTags": ["registry.example.com/team/leaky:1"],
        "RepoDigests": [],
        "Created": "2026-11-20T08:14:03.552190871Z",
        "Config": {
            "User": "",
            "Env": ["PATH=/usr/bin:/bin", f"DB_PASSWORD={SECRETS['env']}"],
            "Labels": {"deploy.secret": SECRETS["label"]},
            "Healthcheck": {
                "Test": [
                    "CMD-SHELL",
                    f"curl -fsS https://probe:{SECRETS['health']}@localhost/health",
                ]
            },
        },
        "Size": 80_000_000,
        "_history": [
            {
                "Created": 1795948714 + i,
                "CreatedBy": by,
                "Size": size,
                "Comment": "",
                "Tags": None,
                "Id": "<missing>",
            }
            for i, (by, size) in reversed(list(enumerate(history)))
        ],
        "_setuid_files": [],
    }


def _service() -> dict[str, Any]:
    return {
        "ID": "svc1",
        "Spec": {
            "Name": "shop_api",
            "TaskTemplate": {
                "ContainerSpec": {
                    "Image": "registry.example.com/shop/api:1",
                    "Env": [f"DB_PASSWORD={SECRETS['svc']}"],
                    "Args": ["--token", SECRETS["svcarg"]],
                }
            },
        },
        "Endpoint": {"Spec": {}},
    }


def test_no_rule_prints_a_secret() -> None:
    facts = facts_from_fixture(
        {
            "images": [_image()],
            "engine": {
                "info": {
                    "Swarm": {
                        "LocalNodeState": "active",
                        "ControlAvailable": True,
                        "Managers": 3,
                        "Nodes": 3,
                        "NodeAddr": "10.0.0.1",
                    }
                },
                "swarm": {"Spec": {"EncryptionConfig": {"AutoLockManagers": True}, "CAConfig": {}}},
                "services": [_service()],
            },
        }
    )
    mine = [r for r in RULES if r.id[:2] in ("IM", "SO", "SW", "LC")]
    results = run_rules(mine, facts, BENCH)
    assert {r.rule_id for r in results if r.outcome is Outcome.FAIL} >= {"IM010", "SW004", "IM009"}
    texts = [t for r in results for t in (r.message, r.reason or "", *r.evidence)]
    for key, secret in SECRETS.items():
        leaked = [t for t in texts if secret in t]
        assert not leaked, f"{key} secret leaked: {leaked}"
    # Every secret was found, not just hidden: IM010 lists one line per place.
    im010 = next(r for r in results if r.rule_id == "IM010")
    assert len(im010.evidence) >= 8, im010.evidence
