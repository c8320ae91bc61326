#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: environment
short_description: Bring a whole agent-app environment up or down in one task
version_added: 0.1.0
description:
  - Validates an environment description (apps, Postgres, Redis) against the JSON Schema shipped in the collection,
    renders it into resources, and converges them in dependency order with independent ones in parallel, like
    M(agno.infra.resources).
  - "C(target: docker) builds an image per app (with a generated Dockerfile when the app has none, running as a
    non-root user), and creates a network, data volumes for Postgres and Redis, and one container per app with a
    health check. Apps get DATABASE_URL, DB_*, REDIS_URL and CELERY_* settings; passwords are passed as secrets."
  - "C(target: kubernetes) applies the environment to one namespace of any cluster with M(agno.infra.k8s_object)
    (server-side apply, so check mode and diff are the API server's dry-run): per app a ServiceAccount without a token, a
    Secret of its secret settings (referenced by secretKeyRef, never plain env), a Deployment under the restricted Pod
    Security profile, a Service, an Ingress and a NetworkPolicy for a web app, a HorizontalPodAutoscaler with autoscaling,
    a PodDisruptionBudget above one replica, a CronJob per job; Postgres and Redis as StatefulSets on a claim each, or
    external. The cluster comes from C(spec.kubernetes.kubeconfig) and C(context), else from O(kubeconfig) and its
    fallbacks."
  - Used by the playbooks M(agno.infra.up), M(agno.infra.down), M(agno.infra.status) and M(agno.infra.restart).
  - The build contexts of the images a run builds (those it converges) are staged under C(spec.docker.build_dir), also
    in check mode (a cache, not managed state); C(state=absent) stages none.
author:
  - agno.infra contributors (@agno-agi)
options:
  spec:
    description:
      - The environment, usually the inventory variable C(agno_env). Keys C(name), C(target) and C(apps) are required.
      - C(docs/environment.md) in the collection lists every key with its type, default and an example; violations fail
        the task with the path of each wrong key.
    type: dict
    required: true
  secrets:
    description:
      - Secret values by name, such as C(postgres_password) (and on C(target=aws) with Redis, its AUTH token
        C(redis_auth_token)). The environment refers to them by name only.
      - Never logged, returned or shown in diffs.
    type: dict
    default: {}
  state:
    description:
      - C(present) converges the environment; C(absent) removes it, dependants first.
      - Either way the resources the environment made and no longer has (found by their tags C(agno:env) and C(agno:id),
        labels C(agno.env) and C(agno.id) on Docker) are removed too, after the converge or before the removal; those
        that hold data are kept unless O(delete_data).
    type: str
    choices: [present, absent]
    default: present
  limit:
    description:
      - Converge or remove only the resources whose id, type, group (network, data, image, db, app) or owner is listed. The
        owner is the app's name for an app's resources, C(postgres) or C(redis) for theirs.
      - What the selected resources depend on is only read, so that references to it resolve; the rest is neither read
        nor changed, and only the selected resources' secrets must be in O(secrets).
      - On the aws target the load balancer's listeners come with an app's target group, so an app added or removed on
        its own gets or loses its route; they drop the route before the group is deleted, and the last web app removed
        takes the listeners and the load balancer with it.
      - An app the environment no longer has may be listed too; its leftovers are then the only ones removed.
      - An entry that selects no resource fails the task before any change.
    type: list
    elements: str
  recreate:
    description:
      - Ids, groups or app names of the containers to remove and create afresh (a restart with new containers; data kept).
        On the aws target, the ECS services of the apps selected get a new deployment.
      - An entry that selects no resource fails the task before any change.
    type: list
    elements: str
  rollback:
    description:
      - App names or groups (C(app) for every app) to roll back to what they ran before the last deploy; only their
        containers, ECS services or Deployments converge, nothing is pruned. It goes with neither O(limit), O(recreate) nor
        O(state=absent). The playbook M(agno.infra.rollback) sets it.
      - "C(target: docker): each app's containers run C(<name>/<app>:previous), the image that the app's last rebuild
        replaced (each app image keeps it, see M(agno.infra.docker_image)'s O(agno.infra.docker_image#module:previous_tag)).
        An app with a ready image (C(apps[].image)) has no previous build and fails the task."
      - "C(target: aws): each app's ECS services run the task definition revision before the one they run: the highest
        ACTIVE revision of the family below it (every deploy registers a new one and keeps the old), waiting for steady
        state when C(aws.wait) is on."
      - "C(target: kubernetes): each app's Deployments (its beat's too) run the images of the ReplicaSet before the one
        they run: the highest revision below theirs (each Deployment keeps its last 5). Only the images change; the
        rollout is waited for when C(kubernetes.wait) is on."
      - Everything the rollback needs is read before any change; an app with nothing to roll back to fails the task then,
        all such apps in one message. The next O(state=present) run without it brings back what O(spec) says.
    type: list
    elements: str
  delete_data:
    description:
      - With O(state=absent), also remove data volumes and images. Data is lost.
      - With either state, also remove leftovers that hold data (databases, caches, buckets, volumes, secrets,
        repositories with images); databases leave a final snapshot.
    type: bool
    default: false
  parallel:
    description: Resources converged at the same time, at most.
    type: int
    default: 4
  audit_fail_on:
    description:
      - With O(state=present), the resources are first checked against the security rules of M(agno.infra.audit)
        (production rules on the aws target, waivers from C(spec.waivers)); findings at or above this severity that
        are not waived fail the task before any change. C(never) only reports them.
    type: str
    choices: [high, medium, low, never]
    default: high
  lock_dir:
    description:
      - Directory of the lock files on the host the module runs on. A run that changes an environment holds its
        lock (one per target, region and name), so two runs on one host never converge the same environment at once
        and both create what is missing. A killed run's lock is released by the kernel. Check mode takes no lock.
    type: path
    default: ~/.cache/agno-infra/locks
  lock_timeout:
    description: Seconds to wait for another run of the same environment to finish before failing.
    type: int
    default: 900
  app:
    description:
      - One app entry, as in C(spec.apps), that takes the place of the app of the same name in O(spec) (or joins its apps).
        The app roles use it with O(limit) set to the app, so the environment's other apps are left alone.
    type: dict
  base_dir:
    description:
      - Directory that relative paths in O(spec) (C(apps[].source), C(docker.extra_ca_certificates), C(docker.build_dir))
        are taken from. The collection's playbooks set it to the inventory's directory (or C(agno_base_dir)).
      - When unset, relative paths are taken from the module's working directory, with a local connection the
        playbook's directory.
    type: path
extends_documentation_fragment:
  - agno.infra.docker
  - agno.infra.aws
  - agno.infra.kubernetes
  - agno.infra.attributes
"""

EXAMPLES = r"""
- name: Bring the dev environment up
  agno.infra.environment:
    spec: "{{ agno_env }}"
    secrets: "{{ agno_secrets }}"
  register: env

- name: Show the URLs
  ansible.builtin.debug:
    var: env.endpoints

- name: Tear it down, keeping the data volumes
  agno.infra.environment:
    spec: "{{ agno_env }}"
    secrets: "{{ agno_secrets }}"
    state: absent
"""

RETURN = r"""
results:
  description:
    - One entry per resource, as M(agno.infra.resources) returns them.
    - A resource the environment no longer has comes with C(leftover=true) and the action C(delete), or C(keep) when it
      holds data and O(delete_data) is not set.
  returned: always
  type: list
  elements: dict
outputs:
  description: State of each resource by id.
  returned: always
  type: dict
summary:
  description: One line counting the resources to add, change, replace and destroy (check mode) or done, as M(agno.infra.resources) words it.
  returned: always
  type: str
  sample: "Plan: 0 to add, 2 to change, 0 to replace, 0 to destroy."
endpoints:
  description: URL of each app published on the host, by app name.
  returned: always
  type: dict
  sample: {api: "http://127.0.0.1:8000"}
status_lines:
  description:
    - What M(agno.infra.status) prints, one line each, aligned in columns - a header, one line per resource (id, type,
      state, health), the count of resources by state, then the endpoints.
    - The state is C(in sync), C(to change), C(to replace), C(missing) or C(leftover) (found by its ownership tags,
      no longer in the spec); the health is C(running/desired running) for ECS services, the healthcheck's verdict
      (or the status) of Docker containers, and C(ready/desired ready) with the containers' restarts for Kubernetes
      Deployments and StatefulSets.
  returned: in check mode with O(state=present)
  type: list
  elements: str
  sample: ["RESOURCE     TYPE             STATE    HEALTH", "service-api  aws_ecs_service  in sync  2/2 running",
           "1 resources: 1 in sync."]
status_drift:
  description:
    - One sentence saying how many resources differ from the spec and which, with their states; empty when every
      resource is in sync. M(agno.infra.status) fails with it when C(agno_detailed_exitcode=true).
  returned: in check mode with O(state=present)
  type: str
  sample: "1 of 39 resources differ from agno_env: task-api to change."
findings:
  description:
    - The security audit's findings (rule, severity, resource, detail, fix, waived), as M(agno.infra.audit) returns
      them; on a blocked run they come with the failure. Empty with O(state=absent).
  returned: always
  type: list
  elements: dict
errors:
  description: Each schema violation as C(PATH - problem), when the environment is invalid.
  returned: failure
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.agno.infra.plugins.module_utils._environment.run import ARGUMENT_SPEC, run


def main() -> None:
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == "__main__":
    main()
