"""render's files: one per object as up applies it, named by kind rank, the same bytes on a rerun, Secrets only on
request (owner-only, values masked in every output), the files of removed objects removed, other files left alone."""

from __future__ import annotations

import base64
import json
import pathlib
import typing as t

import pytest
import yaml

from ansible_collections.agno.infra.plugins.modules import environment_render
from ansible_collections.agno.infra.plugins.module_utils._environment import manifests
from ansible_collections.agno.infra.tests.unit.support import module_run

PASSWORD = "pg-secret-value"
KEY = "sk-secret-value"
SECRETS = {"postgres_password": PASSWORD, "openai_api_key": KEY}
SPEC = {"name": "shop-k8s", "target": "kubernetes", "postgres": {"pgvector": True},
        "apps": [{"name": "api", "kind": "fastapi", "image": "shop/api:1", "secret_env": {"OPENAI_API_KEY": "openai_api_key"}},
                 {"name": "ui", "kind": "streamlit", "image": "shop/ui:1", "uses": [], "depends_on": ["api"]}]}
HIDDEN = (PASSWORD, KEY, base64.b64encode(PASSWORD.encode()).decode(), base64.b64encode(KEY.encode()).decode())


def render(capsys: pytest.CaptureFixture[str], dest: pathlib.Path, **args: t.Any) -> t.Tuple[int, t.Dict[str, t.Any]]:
    return module_run(environment_render.main, dict({"spec": SPEC, "dest": str(dest)}, **args), capsys)


def texts(dest: pathlib.Path) -> t.Dict[str, str]:
    return {path.name: path.read_text() for path in sorted(dest.iterdir())}


def test_one_file_per_object_named_by_kind_rank_without_secrets_and_the_same_bytes_on_a_rerun(
        capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "manifests"
    code, result = render(capsys, dest)
    assert code == 0 and result["changed"], result
    assert result["files"][0] == "00-namespace-shop-k8s.yaml" and sorted(result["files"]) == sorted(texts(dest)) == sorted(result["written"])
    assert {"30-deployment-api.yaml", "30-statefulset-postgres.yaml", "20-service-api.yaml", "40-ingress-ui.yaml",
            "10-networkpolicy-deny-ingress.yaml"} <= set(result["files"])
    assert not [name for name in result["files"] if "-secret-" in name]
    assert result["summary"] == "%d manifests in %s: %d written, 0 removed." % (len(result["files"]), dest, len(result["files"]))
    api = yaml.safe_load((dest / "30-deployment-api.yaml").read_text())
    assert api["metadata"]["labels"]["agno.infra/env"] == "shop-k8s" and api["metadata"]["namespace"] == "shop-k8s"
    assert {"name": "OPENAI_API_KEY", "valueFrom": {"secretKeyRef": {"name": "api-secrets", "key": "OPENAI_API_KEY"}}} in (
        api["spec"]["template"]["spec"]["containers"][0]["env"])
    first = texts(dest)
    stamps = {path.name: path.stat().st_mtime_ns for path in dest.iterdir()}
    code, again = render(capsys, dest)
    assert (code, again["changed"], again["written"], again["removed"]) == (0, False, [], [])
    assert texts(dest) == first and {path.name: path.stat().st_mtime_ns for path in dest.iterdir()} == stamps


def test_secrets_are_written_only_on_request_for_the_owner_and_never_shown(
        capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "manifests"
    code, result = render(capsys, dest, secrets=SECRETS, include_secrets=True, _ansible_diff=True)
    assert code == 0, result
    secret = yaml.safe_load((dest / "10-secret-api-secrets.yaml").read_text())
    assert base64.b64decode(secret["data"]["OPENAI_API_KEY"]).decode() == KEY and "stringData" not in secret
    assert (dest / "10-secret-api-secrets.yaml").stat().st_mode & 0o777 == 0o600
    assert (dest / "30-deployment-api.yaml").stat().st_mode & 0o777 == 0o644
    holding = sorted(name for name, content in texts(dest).items() if any(value in content for value in HIDDEN))
    assert holding == ["10-secret-api-secrets.yaml", "10-secret-postgres-secrets.yaml"]
    assert not [value for value in HIDDEN if value in json.dumps(result)] and result["diff"]
    # Without them again: their files go, and the removal's diff shows no value either.
    code, plain = render(capsys, dest, secrets=SECRETS, _ansible_diff=True)
    assert code == 0 and plain["removed"] == ["10-secret-api-secrets.yaml", "10-secret-postgres-secrets.yaml"]
    assert not [value for value in HIDDEN if value in json.dumps(plain)] and not [name for name in texts(dest) if "-secret-" in name]


def test_a_removed_app_s_files_go_and_other_files_stay(capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "manifests"
    render(capsys, dest)
    (dest / "kustomization.yaml").write_text("resources: []\n")
    (dest / "30-deployment-theirs.yaml").write_text(yaml.safe_dump({"kind": "Deployment", "metadata": {"name": "theirs", "labels": {
        "app.kubernetes.io/managed-by": "agno-infra", "agno.infra/env": "another-env"}}}))
    code, result = module_run(environment_render.main, {"spec": dict(SPEC, apps=SPEC["apps"][:1]), "dest": str(dest)}, capsys)
    assert code == 0 and result["changed"]
    assert result["removed"] == ["10-networkpolicy-ui-policy.yaml", "10-serviceaccount-ui.yaml", "20-service-ui.yaml",
                                 "30-deployment-ui.yaml", "40-ingress-ui.yaml"]
    assert {"kustomization.yaml", "30-deployment-theirs.yaml"} <= set(texts(dest)) and "30-deployment-ui.yaml" not in texts(dest)


def test_check_mode_writes_nothing_and_says_what_it_would(capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "manifests"
    code, result = render(capsys, dest, _ansible_check_mode=True)
    assert code == 0 and result["changed"] and len(result["written"]) == len(result["files"]) and not dest.exists()
    assert result["summary"].endswith("%d to write, 0 to remove." % len(result["files"]))


def test_another_target_and_missing_secrets_fail_before_anything_is_written(
        capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "manifests"
    code, result = module_run(environment_render.main, {"spec": dict(SPEC, target="docker"), "dest": str(dest)}, capsys)
    assert code == 1 and result["msg"] == ("Environment shop-k8s targets docker, and render writes Kubernetes manifests: set target: "
                                           "kubernetes, or run up for this environment.")
    code, result = render(capsys, dest, include_secrets=True, secrets={"openai_api_key": KEY})
    assert code == 1 and "postgres_password" in result["msg"] and not dest.exists()


def test_the_kind_s_rank_orders_the_files() -> None:
    assert [manifests.file_name({"kind": kind, "metadata": {"name": "x"}}) for kind in ("Namespace", "Secret", "Service", "Deployment", "CronJob")] == [
        "00-namespace-x.yaml", "10-secret-x.yaml", "20-service-x.yaml", "30-deployment-x.yaml", "40-cronjob-x.yaml"]
