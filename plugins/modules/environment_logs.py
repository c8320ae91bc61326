#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: environment_logs
short_description: Read the recent log lines of an environment's apps
version_added: 0.1.0
description:
  - Reads the newest log lines of the apps of an environment (O(spec), as M(agno.infra.environment) takes it) and returns
    them as plain lines, oldest first and newest last, each prefixed by its source. It reads only; nothing is created,
    changed or deployed.
  - "C(target: docker): the logs (standard output and error) of each app's container, C(<name>-<app>), and of its Celery
    beat's, C(<name>-<app>-beat). A line reads C(api | INFO: GET /health 200), or C(api-beat | ...) for the beat."
  - "C(target: aws): the CloudWatch Logs events of each app's log group, C(/ecs/<name>/<app>), over all its streams
    (FilterLogEvents). ECS names a stream C(<prefix>/<container>/<task id>), so a line reads C(api <task id> | INFO: GET
    /health 200), C(api-beat <task id> | ...) for the beat. Without O(since), the last hour is searched first, then the
    last day, week and the rest, until O(lines) lines are found: a busy group's whole history is not read for the newest
    lines. Only the log group must exist; the rest of the environment need not be deployed."
  - "C(target: kubernetes): the log of each container of the app's pods in the environment's namespace (those of its
    Deployment, its Celery beat's, its CronJobs' and of one-off runs), found by the environment's labels in one list
    call, then one log request per container with C(timestamps), C(tailLines) and C(sinceSeconds). A line reads
    C(api-6d9f8c7b5-x2kqp | INFO: GET /health 200): its source is the pod. The cluster is the one the environment's
    C(kubernetes) section names (its kubeconfig and context), else the connection options."
  - Used by the playbook M(agno.infra.logs).
author:
  - agno.infra contributors (@agno-agi)
options:
  apps:
    description:
      - Names of the apps whose lines to read (an entry may be a comma-separated list); all the environment's apps when
        unset. A name the environment has no app of fails the task with the names there are.
    type: list
    elements: str
  lines:
    description:
      - At most this many lines per app (its newest), from 1 to 10000. The lines of all the apps are then merged by time.
      - A CloudWatch event with line breaks (a traceback) counts as its lines.
    type: int
    default: 100
  since:
    description:
      - Only lines written since this time - a duration before now, C(30s), C(10m), C(2h) or C(1d), or an ISO 8601 time
        such as C(2026-01-31T12:00:00Z) (UTC when it has no offset). Anything else fails the task.
      - Unset, the newest O(lines) lines whenever they were written.
    type: str
  grep:
    description:
      - Only lines that hold this text (a plain, case-sensitive substring; no pattern syntax).
      - On docker and kubernetes the lines are filtered here, after reading the containers' whole logs (since O(since)). On aws the text
        is sent as one quoted CloudWatch filter term (C("text"), so spaces match literally; moto 5 matches it as a
        substring as well), and the lines of the events are filtered here too, so that only the matching lines of a
        multi-line event remain. A text with a double quote cannot be a quoted term; it is then filtered here only.
    type: str
extends_documentation_fragment:
  - agno.infra.operation
  - agno.infra.docker
  - agno.infra.aws
  - agno.infra.kubernetes
attributes:
  check_mode:
    support: full
    description: The module only reads, so check mode runs it as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
  idempotent:
    support: full
    description: It never changes anything.
"""

EXAMPLES = r"""
- name: The last 100 lines of every app
  agno.infra.environment_logs:
    spec: "{{ agno_env }}"
  register: logs

- name: Print them, one line each
  ansible.builtin.debug:
    msg: "{{ logs.lines }}"

- name: The api's errors of the last two hours
  agno.infra.environment_logs:
    spec: "{{ agno_env }}"
    secrets: "{{ agno_secrets }}"
    apps: [api]
    since: 2h
    grep: ERROR
    lines: 500
"""

RETURN = r"""
lines:
  description:
    - The lines, oldest first and newest last, at most O(lines) per app, each as C(SOURCE | TEXT). The source is the app
      (C(api), C(api-beat) for a beat) on docker, the stream's prefix and task id (C(api 0f3c9a...)) on aws.
  returned: success
  type: list
  elements: str
  sample: ["api 0f3c9a5e2b7d4c1f8a6e3d2c1b0a9f8e | INFO:     Started server process [1]",
           "api 0f3c9a5e2b7d4c1f8a6e3d2c1b0a9f8e | INFO:     10.0.1.5:41234 - \"GET /health HTTP/1.1\" 200 OK"]
summary:
  description: One sentence with the number of lines of each app, and the limits they were read with.
  returned: success
  type: str
  sample: "Log lines (at most 100 per app, since 10m), oldest first: api 2, worker 0."
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._environment.logs import ARGUMENT_SPEC, run


def main() -> None:
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == "__main__":
    main()
