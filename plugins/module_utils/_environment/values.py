# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values of agno_env whose grammar Docker or AWS define and no call can check before a run (an emulator accepts
them all): image references, RDS instance classes, ElastiCache node types, availability zones.

Each check returns the problem as "PATH: problem; the fix", as the schema's errors read.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment

# The reference grammar of Docker's distribution project: [registry[:port]/]path[:tag][@digest].
_ALPHANUMERIC = "[a-z0-9]+"
_COMPONENT = "%s(?:(?:[._]|__|-+)%s)*" % (_ALPHANUMERIC, _ALPHANUMERIC)
_LABEL = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
# A first part is a registry only with a dot, a port or as localhost (Docker reads docker.io/library/... otherwise).
_REGISTRY = r"(?:(?:%s(?:\.%s)+|localhost)(?::[0-9]+)?|%s:[0-9]+|\[[0-9A-Fa-f:]+\](?::[0-9]+)?)" % (_LABEL, _LABEL, _LABEL)
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"
IMAGE_REFERENCE = re.compile("^(?P<name>(?:%s/)?%s(?:/%s)*)(?::%s)?(?:@%s)?$" % (_REGISTRY, _COMPONENT, _COMPONENT, _TAG, _DIGEST))
IMAGE_NAME_LIMIT = 255
#: Where images are pushed: a registry host and, optionally, a path in it.
REGISTRY_PREFIX = re.compile("^%s(?:/%s)*$" % (_REGISTRY, _COMPONENT))

#: Memory as the apps give it: MiB or GiB (512m, 2g), which Fargate and Kubernetes both take.
MEMORY = re.compile(r"^(\d+)([mg])$", re.I)

SIZE = r"(?:micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)"
# The families AWS documents (current and previous generations); a size is micro to 48xlarge.
RDS_FAMILIES = ("t2", "t3", "t4g", "m1", "m2", "m3", "m4", "m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7g",
                "m7gd", "m7i", "m8g", "m8gd", "c6gd", "r3", "r4", "r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r6idn",
                "r6in", "r7g", "r7gd", "r7i", "r8g", "r8gd", "x1", "x1e", "x2g", "x2idn", "x2iedn", "x2iezn", "z1d")
CACHE_FAMILIES = ("t1", "t2", "t3", "t4g", "m1", "m2", "m3", "m4", "m5", "m6g", "m7g", "c1", "c7gn", "r3", "r4", "r5", "r6g",
                  "r6gd", "r7g")


def image_problem(path: str, reference: str) -> t.Optional[str]:
    """Why a value is not an image reference Docker and ECS can pull."""
    match = IMAGE_REFERENCE.match(reference)
    if match and len(match.group("name")) <= IMAGE_NAME_LIMIT:
        return None
    return ("%s: %r is not an image reference: give [registry[:port]/]path[:tag][@digest] with a lowercase path of at most %d "
            "characters, such as registry.example/team/api:1" % (path, reference, IMAGE_NAME_LIMIT))


def registry_problem(path: str, registry: str) -> t.Optional[str]:
    """Why a value is not a registry host (with its port, and a path in it) that images can be pushed to."""
    if not registry or REGISTRY_PREFIX.match(registry):
        return None
    return ("%s: %r is not a registry: give its host with a dot or a port, and optionally a lowercase path, such as "
            "127.0.0.1:5000 or registry.example/team" % (path, registry))


def class_problem(path: str, value: str, prefix: str, families: t.Tuple[str, ...], what: str) -> t.Optional[str]:
    """Why a value is not PREFIX.FAMILY.SIZE of a known family (an RDS instance class, an ElastiCache node type)."""
    if re.match(r"^%s\.(%s)\.%s$" % (re.escape(prefix), "|".join(families), SIZE), value):
        return None
    return ("%s: %r is not %s: give %s.FAMILY.SIZE with a family of %s and a size such as micro, large or 2xlarge (such as "
            "%s.t4g.micro)" % (path, value, what, prefix, ", ".join(families), prefix))


def zone_problem(path: str, zone: str, region: str) -> t.Optional[str]:
    """Why a zone cannot hold the environment's subnets: it is not a zone of the region the environment runs in."""
    if re.match(r"^%s(?:[a-z]|-[a-z0-9-]+)$" % re.escape(region), zone):
        return None
    return "%s: %s is not a zone of region %s, where the environment runs: use zones such as %sa and %sb" % (path, zone, region, region, region)


def aws_problems(env: Environment) -> t.List[str]:
    """The aws section's values that AWS would refuse, each as "PATH: problem; the fix"."""
    aws = env.aws
    problems = [registry_problem("agno_env.aws.registry", aws["registry"])]
    if env.enabled("postgres"):
        problems.append(class_problem("agno_env.aws.postgres.instance_class", aws["postgres"]["instance_class"], "db", RDS_FAMILIES,
                                      "an RDS instance class"))
    if env.enabled("redis"):
        problems.append(class_problem("agno_env.aws.redis.node_type", aws["redis"]["node_type"], "cache", CACHE_FAMILIES,
                                      "an ElastiCache node type"))
    if env.region:
        problems += [zone_problem("agno_env.aws.availability_zones[%d]" % index, zone, env.region)
                     for index, zone in enumerate(aws.get("availability_zones") or [])]
    return [problem for problem in problems if problem]
