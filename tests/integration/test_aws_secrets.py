"""No password or secret value appears in any output of AWS modules, even with -vvv, --diff and --check."""

from __future__ import annotations

import typing as t

import pytest

from harness import INTEGRATION, run_playbook, secret

PLAYBOOK = INTEGRATION / "playbooks" / "aws_secrets.yml"
SECRETS = (secret("agno-it-scan-db-password-0c4f"), secret("agno-it-scan-secret-value-e21a"))

pytestmark = pytest.mark.aws


def test_no_secret_in_verbose_diff_and_check_output(aws_env: t.Dict[str, str]) -> None:
    runs = [
        run_playbook(PLAYBOOK, "-vvv", "--diff", "--check", env=aws_env),
        run_playbook(PLAYBOOK, "-vvv", "--diff", env=aws_env),
        run_playbook(PLAYBOOK, "-vvv", "--diff", extra_vars={"instance_class": "db.t4g.small"}, env=aws_env),
    ]
    for run in runs:
        assert run.rc == 0, run.tail()
        for secret in SECRETS:
            assert secret not in run.output
    assert runs[1].recap["changed"] == 3
    # The values did reach AWS: the scan is not vacuous.
    import boto3  # pylint: disable=import-outside-toplevel
    client = boto3.client("secretsmanager", endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"])
    assert client.get_secret_value(SecretId="agno-it/scan")["SecretString"] == SECRETS[1]
