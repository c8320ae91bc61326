"""Day-2 changes on the example prd environment (a moto server): `--check` predicts, resource by resource, the action
the apply then takes, including the cascades (a new task definition revision updates its service, a new app updates
the listener's rules, a rotated password reaches RDS and redeploys the apps that read it, a changed app secret
or Redis token redeploys its readers), check mode makes no mutating call, and a rerun after each apply is clean.
`down --check` on the running environment predicts every delete and changes nothing."""

from __future__ import annotations

import json
import pathlib
import typing as t
import urllib.parse

import pytest
import yaml

from harness import PlaybookRun, run_playbook, secret
from test_example_prd import INVENTORY, client, moto_mutating_calls, recorder
from moto_calls import call_name, request_body  # on the path test_example_prd sets  # noqa: I100

ENV = "agent-app-prd"
PASSWORDS = (secret("prd-plan:first#pass%1"), secret("prd-plan:second&pass?2"))
OPENAI_KEYS = (secret("sk-prd-plan-first-7f1c"), secret("sk-prd-plan-second-90ab"))
REDIS_TOKENS = (secret("prd-plan-redis-token-4c1d2e"), secret("prd-plan-redis-token-93fa07"))
RESULT_START = ("changed: [localhost] => {", "ok: [localhost] => {")

pytestmark = pytest.mark.aws


def inventory(directory: pathlib.Path, edit: t.Callable[[t.Dict[str, t.Any]], None]) -> pathlib.Path:
    """The prd inventory with an OpenAI key for the api (secret_env) and the edit applied to agno_env."""
    loaded = yaml.safe_load(INVENTORY.read_text())
    variables = loaded["all"]["vars"]
    variables["agno_env"]["apps"][0]["secret_env"] = {"OPENAI_API_KEY": "openai_api_key"}
    variables["agno_secrets"]["openai_api_key"] = "{{ lookup('ansible.builtin.env', 'AGNO_OPENAI_KEY') }}"
    edit(variables["agno_env"])
    path = directory / ("prd-%d.yml" % len(list(directory.glob("prd-*.yml"))))
    path.write_text(yaml.safe_dump(loaded, sort_keys=False))
    return path


def unchanged(env: t.Dict[str, t.Any]) -> None:
    """No edit."""


def env_var(env: t.Dict[str, t.Any]) -> None:
    env["apps"][0]["env"] = {"LOG_LEVEL": "debug"}


def new_app(env: t.Dict[str, t.Any]) -> None:
    env_var(env)
    env["apps"].append({"name": "docs", "kind": "fastapi", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent-app-prd/docs:1",
                        "port": 8080, "path": "/docs/*", "uses": []})


def module_result(run: PlaybookRun) -> t.Dict[str, t.Any]:
    """The environment task's result, as -vvv prints it."""
    decoder = json.JSONDecoder()
    for line_start in RESULT_START:
        position = run.output.find(line_start)
        while position >= 0:
            found, _end = decoder.raw_decode(run.output, position + len(line_start) - 1)
            if "results" in found:
                return t.cast(t.Dict[str, t.Any], found)
            position = run.output.find(line_start, position + 1)
    raise AssertionError("no environment result in the output:\n" + run.tail())


def actions(run: PlaybookRun) -> t.Dict[str, str]:
    return {item["id"]: item["action"] for item in module_result(run)["results"] if item["action"] != "none"}


class Prd:
    """The prd environment on the test's moto server, run with the recorder on."""

    def __init__(self, env: t.Dict[str, str], directory: pathlib.Path) -> None:
        self.env = env
        self.directory = directory
        self.secrets = {"AGNO_DB_PASSWORD": PASSWORDS[0], "AGNO_OPENAI_KEY": OPENAI_KEYS[0], "AGNO_REDIS_AUTH_TOKEN": REDIS_TOKENS[0]}

    def play(self, name: str, edit: t.Callable[[t.Dict[str, t.Any]], None], *args: str) -> t.Tuple[PlaybookRun, str]:
        recorder(self.env, "reset-recording")
        recorder(self.env, "start-recording")
        run = run_playbook("agno.infra.%s" % name, "-vvv", *args, inventory=inventory(self.directory, edit),
                           env=dict(self.env, **self.secrets), timeout=900)
        recorder(self.env, "stop-recording")
        assert run.rc == 0, run.tail(60)
        assert not [value for value in PASSWORDS + OPENAI_KEYS + REDIS_TOKENS if value in run.output]
        return run, recorder(self.env, "download-recording")

    def predicted_and_applied(self, edit: t.Callable[[t.Dict[str, t.Any]], None], playbook: str = "up") -> t.Tuple[t.Dict[str, str], str]:
        """--check, then the apply, then a rerun: the same action per resource, and nothing left to do."""
        preview, recording = self.play(playbook, edit, "--check", "--diff")
        assert moto_mutating_calls(recording) == []
        predicted = actions(preview)
        applied_run, applied_recording = self.play(playbook, edit)
        applied = actions(applied_run)
        print("%s: predicted %s, applied %s" % (edit.__name__, predicted, applied))
        assert predicted == applied
        assert module_result(preview)["summary"].startswith("Plan: ") and module_result(preview)["summary"] in preview.output
        assert module_result(applied_run)["summary"].startswith("Apply: ")
        if playbook == "up":
            rerun, recording = self.play("up", edit)
            assert rerun.recap["changed"] == 0 and moto_mutating_calls(recording) == []
            assert module_result(rerun)["summary"] == "Apply: 0 added, 0 changed, 0 replaced, 0 destroyed."
        return applied, applied_recording


def requests(recording: str, operation: str) -> t.List[t.Dict[str, t.Any]]:
    """The recorded requests of one operation, their bodies parsed (query or JSON)."""
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]
    bodies = [request_body(entry) for entry in entries if call_name(entry) == operation]
    return [json.loads(body) if body.startswith("{") else {key: values[0] for key, values in urllib.parse.parse_qs(body).items()}
            for body in bodies]


def test_prd_check_predicts_the_cascades_of_day_2_changes(aws_env: t.Dict[str, str], tmp_path: pathlib.Path) -> None:
    prd = Prd(aws_env, tmp_path)
    prd.play("up", unchanged)

    # An env var: a new task definition revision, and the service that runs it.
    applied, recording = prd.predicted_and_applied(env_var)
    assert applied == {"task-api": "update", "service-api": "update"}
    assert sorted(moto_mutating_calls(recording)) == ["RegisterTaskDefinition", "UpdateService"]

    # A new app: its resources, and the listener's rules updated (not created).
    applied, recording = prd.predicted_and_applied(new_app)
    assert applied["listener-http"] == "update" and applied["service-docs"] == "create" and applied["tg-docs"] == "create"
    assert "CreateListener" not in moto_mutating_calls(recording)

    # The database password: the secrets, RDS itself, and a new deployment of the app that reads DATABASE_URL.
    prd.secrets["AGNO_DB_PASSWORD"] = PASSWORDS[1]
    applied, recording = prd.predicted_and_applied(new_app)
    assert applied == {"secret-db-password": "update", "secret-database-url": "update", "postgres": "update", "service-api": "update"}
    modified = requests(recording, "ModifyDBInstance")
    assert [(item["DBInstanceIdentifier"], item["MasterUserPassword"]) for item in modified] == [(ENV, PASSWORDS[1])]
    assert [item["service"] for item in requests(recording, "UpdateService")] == ["api"]
    url = client(aws_env, "secretsmanager").get_secret_value(SecretId=ENV + "/database-url")["SecretString"]
    assert urllib.parse.unquote(urllib.parse.urlsplit(url).password or "") == PASSWORDS[1]

    # An app secret: the secret, and a new deployment of the app that reads it.
    prd.secrets["AGNO_OPENAI_KEY"] = OPENAI_KEYS[1]
    applied, recording = prd.predicted_and_applied(new_app)
    assert applied == {"secret-openai_api_key": "update", "service-api": "update"}
    assert [item.get("forceNewDeployment") for item in requests(recording, "UpdateService")] == [True]

    # Redis's AUTH token: the cache, REDIS_URL's secret, and a new deployment of the apps that read it.
    prd.secrets["AGNO_REDIS_AUTH_TOKEN"] = REDIS_TOKENS[1]
    applied, recording = prd.predicted_and_applied(new_app)
    assert applied == {"redis": "update", "secret-redis-url": "update", "service-api": "update", "service-worker": "update"}
    assert sorted(item["service"] for item in requests(recording, "UpdateService")) == ["api", "worker"]

    # A teardown previewed on the running environment: every delete, in order, and no change.
    preview, recording = prd.play("down", new_app, "--check")
    assert moto_mutating_calls(recording) == []
    predicted = {item["id"]: item["action"] for item in module_result(preview)["results"]}
    assert predicted["cluster"] == "delete" and predicted["vpc"] == "delete" and predicted["postgres"] == "delete"
    # Listed as the deletes go: what lives in a resource before it.
    order = list(predicted)
    assert order.index("cluster") > max(order.index("service-" + name) for name in ("api", "worker", "ui", "docs"))
    assert order.index("vpc") > max(order.index(name) for name in ("subnet-private-a", "sg-app", "routes-private"))
    assert order.index("alb") > order.index("tg-docs") > order.index("listener-http")
    summary = module_result(preview)["summary"]
    assert summary == "Plan: 0 to add, 0 to change, 0 to replace, %d to destroy." % list(predicted.values()).count("delete")
    assert summary in preview.output
    ecs = client(aws_env, "ecs")
    assert len(ecs.describe_services(cluster=ENV, services=["api", "worker", "ui", "docs"])["services"]) == 4
    down, _recording = prd.play("down", new_app)
    assert {item["id"]: item["action"] for item in module_result(down)["results"]} == predicted
