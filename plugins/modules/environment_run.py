#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: environment_run
short_description: Run a one-off command in an app of an environment, with the app's image and settings
version_added: 0.1.0
description:
  - Runs one command (a migration, a data load, a maintenance script) in an app of an environment (O(spec), as
    M(agno.infra.environment) takes it), in the image the app runs and with its environment variables and secrets; waits
    for it for up to O(run_timeout) seconds and returns its output and exit code. A command that exits with a code other
    than 0 fails the task, with its output and RV(rc) in the result.
  - The command runs with what is deployed, read from the app's container or service, so the app must be up
    (M(agno.infra.up)).
  - "C(target: docker): a throwaway container, C(<name>-<app>-run-<8 hex digits>), made from the app's container
    C(<name>-<app>): the same image (by id), entrypoint, environment, user, working directory, mounts, memory and CPU
    limits, dropped capabilities and networks, but no published port, no network alias (it takes none of the app's
    traffic), no restart policy and no health check. It is removed afterwards: when the command exits, when it times out
    (it is killed then), and when the run is interrupted (ansible-playbook stopped with Ctrl-C, or an AWX job
    cancelled)."
  - "C(target: aws): ECS RunTask of the task definition revision the app's service runs, with the app container's command
    overridden, in the service's cluster, subnets and security groups (the private subnets and the app's group) and with
    C(assignPublicIp=DISABLED), the service's launch type or capacity providers. The task is polled every 5 seconds until
    it is STOPPED; its lines are then read from the container's awslogs stream, C(<prefix>/<container>/<task id>). At
    the timeout, or when the run is interrupted, the task is stopped (StopTask). A task that stops before its command
    ran (an image that cannot be pulled, a secret it may not read) fails the task with ECS's reason."
  - "C(target: kubernetes): a Job, C(<app>-run-<8 hex digits>), in the environment's namespace, made from the pod
    template of the app's Deployment: the same image (by digest when built), environment with the Secrets by reference,
    service account, security context and limits, with the command, C(restartPolicy=Never), no retry
    (C(backoffLimit=0)), no probe and no port. Its pod carries its own C(app.kubernetes.io/name), so no Service sends it
    traffic, and the app's other labels, so the NetworkPolicies let it reach what the app reaches. The pod is polled every
    second until its container has ended; its log is then read and the Job deleted (with its pod), also at the timeout
    and when the run is interrupted. The cluster itself stops the Job at O(run_timeout) (C(activeDeadlineSeconds)) and
    removes it 10 minutes after it ended (C(ttlSecondsAfterFinished)) should the run be killed before it deleted it. A
    pod that cannot start (an image that cannot be pulled, a Secret that is missing) fails the task at once with the
    container's reason and the Job's events. The cluster is the one the environment's C(kubernetes) section names (its
    kubeconfig and context), else the connection options."
  - Used by the playbook M(agno.infra.run).
author:
  - agno.infra contributors (@agno-agi)
options:
  app:
    description:
      - The name of the app to run the command in. A name the environment has no app of fails the task with the names
        there are; so does more than one.
      - For a Celery app, the command runs in its worker's image and settings.
    type: str
    required: true
  command:
    description:
      - The command, as a list of words (C(["python", "-m", "app.migrate"])), run with the image's entrypoint; or one
        string, split into words as a POSIX shell would split it (no shell runs it; for pipes or C(&&) give
        C(["sh", "-c", "..."])).
      - An empty command, or anything else than words, fails the task before anything runs.
    type: raw
    required: true
  run_timeout:
    description:
      - Seconds to wait for the command, from 1 to 86400. At the timeout the container is killed (docker), the task
        stopped (aws) or the Job deleted (kubernetes), and the task fails with the output so far.
    type: int
    default: 600
extends_documentation_fragment:
  - agno.infra.operation
  - agno.infra.docker
  - agno.infra.aws
  - agno.infra.kubernetes
notes:
  - On docker the values of the app container's secret variables are masked in the output too, whether O(secrets) gives
    them or not; on kubernetes so are the values the Job's container reads from Secrets.
  - On aws the output comes from CloudWatch Logs, read once the task has stopped; lines the awslogs driver had not
    delivered by then are missing (the group keeps them, M(agno.infra.environment_logs) shows them).
attributes:
  check_mode:
    support: full
    description: Checks the options and that the app is deployed, and reports what would run; nothing runs.
  diff_mode:
    support: none
    description: A command changes what it changes; there is nothing to diff.
  idempotent:
    support: none
    description: Each run runs the command again.
"""

EXAMPLES = r"""
- name: Migrate the database with the api's image and settings
  agno.infra.environment_run:
    spec: "{{ agno_env }}"
    secrets: "{{ agno_secrets }}"
    app: api
    command: [python, -m, app.migrate]
    run_timeout: 900
  register: migration

- name: Show its output
  ansible.builtin.debug:
    msg: "{{ migration.lines }}"
"""

RETURN = r"""
rc:
  description: The command's exit code. Not returned in check mode, nor when the command never ran or did not end in time.
  returned: when the command ran
  type: int
  sample: 0
lines:
  description: The command's output (standard output and error, in order), the last 10000 lines at most.
  returned: when the command ran or timed out; empty in check mode
  type: list
  elements: str
  sample: ["Applying migration 0003_notes... done"]
summary:
  description: One sentence with the command, the app, where it ran and its exit code.
  returned: success, and when the command exited with a code other than 0
  type: str
  sample: "python -m app.migrate in app api (container agent-app-dev-api-run-1f2e3d4c) exited with 0."
container:
  description: The name of the throwaway container (removed by then).
  returned: on docker
  type: str
  sample: agent-app-dev-api-run-1f2e3d4c
task_arn:
  description: The ARN of the task RunTask started.
  returned: on aws, once the task has started
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task/agent-app-prd/0f3c9a5e2b7d4c1f8a6e3d2c1b0a9f8e
task_definition:
  description: The task definition the command would run (the service's revision).
  returned: on aws, in check mode
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task-definition/agent-app-prd-api:3
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._environment.oneoff import ARGUMENT_SPEC, run


def main() -> None:
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == "__main__":
    main()
