# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACM certificate requested with DNS validation, as a lifecycle resource.

A certificate has no name of its own: it is found by its domain name among the certificates that
are pending or issued, narrowed by a Name tag when the task gives `name`, or addressed by ARN.
Names and alternative names cannot change; tags can.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
import uuid

from ansible_collections.agno.infra.plugins.module_utils._aws import tagging
from ansible_collections.agno.infra.plugins.module_utils._aws.client import AwsResource, is_not_found
from ansible_collections.agno.infra.plugins.module_utils._aws.tagging import TAGS_ARGUMENT_SPEC, desired_tags, dict_to_tags, tags_to_dict
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, REPLACE, Constraint, Refusal, ResourceError
from ansible_collections.agno.infra.plugins.module_utils._engine.runner import wait_argument_spec

KEY_ALGORITHMS = ("RSA_2048", "EC_prime256v1", "EC_secp384r1")
# Certificates that can still be used or become usable; expired, revoked or failed ones are left alone.
LIVE_STATUSES = ["PENDING_VALIDATION", "ISSUED"]
DEAD_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE")
# A label of letters, digits and hyphens, not starting or ending with a hyphen; "*." allowed in front only.
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_DOMAIN_LENGTH = 253
MAX_NAMES = 100
RECORDS_TIMEOUT = 60
IN_USE = "ACM certificate {name} %s but is in use by {blockers}: move those listeners to another certificate first."


def domain_problem(domain: str) -> t.Optional[str]:
    """Why ACM would refuse a domain name, or None."""
    if len(domain) > MAX_DOMAIN_LENGTH:
        return "%s is longer than %d characters" % (domain, MAX_DOMAIN_LENGTH)
    labels = domain.lower().split(".")
    if labels[0] == "*":
        labels = labels[1:]
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        return "%r is not a fully qualified domain name (such as app.example.com or *.example.com)" % domain
    return None


@dataclasses.dataclass(frozen=True)
class DomainName(Constraint):
    """A fully qualified domain name ACM takes, a wildcard only as its first label."""

    def problem(self, option: str, value: t.Any) -> t.Optional[str]:
        found = domain_problem(value) if isinstance(value, str) else None
        return found + "." if found else None


def alternative_names(domain: str, names: t.Iterable[str]) -> t.List[str]:
    """The extra names of a certificate as a sorted set, without its own domain name (ACM lists it there too)."""
    return sorted({name.lower() for name in names} - {domain.lower()})


def key_algorithm(reported: t.Optional[str]) -> t.Optional[str]:
    """DescribeCertificate says RSA-2048 where RequestCertificate takes RSA_2048."""
    return reported.replace("-", "_") if reported else None


def validation_records(certificate: t.Dict[str, t.Any]) -> t.List[t.Dict[str, str]]:
    """The DNS records that prove control of each name, one per record (wildcards share their base's)."""
    records = {}
    for option in certificate.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if record:
            records[record["Name"]] = {"name": record["Name"], "type": record["Type"], "value": record["Value"],
                                       "domain_name": option["DomainName"], "status": option.get("ValidationStatus", "")}
    return [records[name] for name in sorted(records)]


def records_pending(certificate: t.Dict[str, t.Any]) -> bool:
    """ACM fills in the validation records a few seconds after the request."""
    options = certificate.get("DomainValidationOptions") or []
    return certificate.get("Status") == "PENDING_VALIDATION" and (not options or any("ResourceRecord" not in item for item in options))


class CertificateResource(AwsResource):
    kind = "ACM certificate"
    result_key = "certificate"
    # ACM cannot change what a certificate covers: a new one is requested.
    replace_fields = ("domain_name", "subject_alternative_names", "key_algorithm")
    refusals = (Refusal({REPLACE: IN_USE % "covers other names (ACM cannot change them)", DELETE: IN_USE % "is to be deleted"},
                        actions=(REPLACE, DELETE), blockers=lambda resource, current: current.get("in_use_by")),)
    constraints = {"domain_name": DomainName(), "subject_alternative_names": DomainName()}
    tag_calls = tagging.ACM

    module_name = "aws_acm_certificate"
    argument_spec: t.Dict[str, t.Any] = dict(
        {
            "domain_name": {"type": "str", "required": True},
            "subject_alternative_names": {"type": "list", "elements": "str", "default": [], "aliases": ["sans"]},
            "name": {"type": "str"},
            "certificate_arn": {"type": "str"},
            "key_algorithm": {"type": "str", "default": "RSA_2048", "choices": list(KEY_ALGORITHMS)},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        },
        **TAGS_ARGUMENT_SPEC,
        **wait_argument_spec(False, 600),
    )

    @property
    def name(self) -> str:
        return str(self.params.get("name") or self.params.get("domain_name"))

    @classmethod
    def problems(cls, params: t.Dict[str, t.Any]) -> t.List[str]:
        """Each problem as a sentence naming the certificate: its names' constraints, then how many names it has."""
        found = super().problems(params)
        names = {params.get("domain_name")} | set(params.get("subject_alternative_names") or [])
        if len(names) > MAX_NAMES:
            found.append("%d names is more than ACM allows (%d)." % (len(names), MAX_NAMES))
        return ["%s %s: %s" % (cls.kind, cls(None, params).name, problem) for problem in found]

    def desired(self) -> t.Dict[str, t.Any]:
        params = self.params
        problems = self.problems(params)  # again, on the names a plan has resolved since it checked them
        if problems:
            raise ResourceError(" ".join(problems))
        wanted: t.Dict[str, t.Any] = {
            "domain_name": params["domain_name"].lower(),
            "subject_alternative_names": alternative_names(params["domain_name"], params["subject_alternative_names"]),
            "key_algorithm": params["key_algorithm"],
        }
        tags = desired_tags(params)
        if tags is not None:
            wanted["tags"] = dict(tags, **self.name_tag())
        return wanted

    def name_tag(self) -> t.Dict[str, str]:
        return {"Name": self.params["name"]} if self.params.get("name") else {}

    def read(self) -> t.Optional[t.Dict[str, t.Any]]:
        arn = self.params.get("certificate_arn") or self.find_arn()
        if not arn:
            return None
        try:
            found = self.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
        except Exception as error:  # pylint: disable=broad-except
            if not is_not_found(error, "ResourceNotFoundException"):
                raise
            found = None
        if found is None or found.get("Status") in DEAD_STATUSES:
            if self.params.get("certificate_arn") and self.params["state"] == "present":
                raise ResourceError("ACM certificate %s does not exist or is no longer usable: drop certificate_arn to "
                                    "request a new one." % arn)
            return None
        return self.state(found)

    def find_arn(self) -> t.Optional[str]:
        """The one live certificate for the domain (and Name tag); refused when several match."""
        acm = self.client("acm")
        domain = self.params["domain_name"].lower()
        pages = acm.get_paginator("list_certificates").paginate(CertificateStatuses=LIVE_STATUSES)
        candidates = [item["CertificateArn"] for page in pages for item in page.get("CertificateSummaryList") or []
                      if (item.get("DomainName") or "").lower() == domain]
        if self.params.get("name"):
            candidates = [arn for arn in candidates if self.read_tags(arn).get("Name") == self.params["name"]]
        if len(candidates) > 1:
            raise ResourceError("%d ACM certificates for %s match (%s): set name or certificate_arn to pick one."
                                % (len(candidates), self.name, ", ".join(sorted(candidates))))
        return candidates[0] if candidates else None

    def read_tags(self, arn: str) -> t.Dict[str, str]:
        return tags_to_dict(self.client("acm").list_tags_for_certificate(CertificateArn=arn).get("Tags"))

    def state(self, found: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        state: t.Dict[str, t.Any] = {
            "arn": found["CertificateArn"],
            "domain_name": (found.get("DomainName") or "").lower(),
            "subject_alternative_names": alternative_names(found.get("DomainName") or "", found.get("SubjectAlternativeNames") or []),
            "key_algorithm": key_algorithm(found.get("KeyAlgorithm")),
            "status": found.get("Status"),
            "validation_records": validation_records(found),
            "in_use_by": sorted(found.get("InUseBy") or []),
            "not_after": str(found["NotAfter"]) if found.get("NotAfter") else None,
        }
        if self.params.get("tags") is not None:
            state["tags"] = self.read_tags(state["arn"])
        return state

    def create(self, desired: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        request: t.Dict[str, t.Any] = {
            "DomainName": desired["domain_name"], "ValidationMethod": "DNS", "KeyAlgorithm": desired["key_algorithm"],
            # One token per request: botocore's retries of this very call then get the same certificate back.
            "IdempotencyToken": uuid.uuid4().hex[:32],
        }
        if desired["subject_alternative_names"]:
            request["SubjectAlternativeNames"] = [desired["domain_name"]] + desired["subject_alternative_names"]
        tags = dict(desired.get("tags") or {}, **self.name_tag())
        if tags:
            request["Tags"] = dict_to_tags(tags)
        arn = self.client("acm").request_certificate(**request)["CertificateArn"]
        return self.with_records(arn)

    def with_records(self, arn: str) -> t.Dict[str, t.Any]:
        """The new certificate's state once ACM has filled in its validation records."""
        def check() -> t.Tuple[bool, t.Dict[str, t.Any]]:
            found = self.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
            return not records_pending(found), found

        def late() -> str:
            return "ACM gave no validation records for certificate %s within %d s: rerun to read them." % (arn, RECORDS_TIMEOUT)

        return self.state(self.poll(check, RECORDS_TIMEOUT, late, interval=2))

    def update(self, current: t.Dict[str, t.Any], desired: t.Dict[str, t.Any], changes: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        # Only the tags change in place (the rest is replaced): reading them back is all that is needed.
        self.update_tags(current["arn"], current, changes)
        return dict(current, tags=self.read_tags(current["arn"]))

    def delete(self, current: t.Dict[str, t.Any]) -> None:
        self.client("acm").delete_certificate(CertificateArn=current["arn"])

    def wait(self, state: t.Dict[str, t.Any], timeout: float) -> t.Dict[str, t.Any]:
        if state.get("status") == "ISSUED":
            return state

        def check() -> t.Tuple[bool, t.Optional[t.Dict[str, t.Any]]]:
            latest = self.state(self.client("acm").describe_certificate(CertificateArn=state["arn"])["Certificate"])
            if latest["status"] in DEAD_STATUSES:
                raise ResourceError("ACM certificate %s is %s: check the validation records and request it again."
                                    % (self.name, latest["status"]))
            return latest["status"] == "ISSUED", latest

        def late() -> str:
            records = "; ".join("%s %s %s" % (item["name"], item["type"], item["value"]) for item in state.get("validation_records") or [])
            return ("ACM certificate %s is still %s after %d s: create the DNS validation records (%s) in the domain's zone, "
                    "then rerun." % (self.name, state.get("status"), timeout, records or "see validation_records"))

        return t.cast(t.Dict[str, t.Any], self.poll(check, timeout, late, interval=10))
