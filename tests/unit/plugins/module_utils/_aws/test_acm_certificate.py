"""ACM certificates: domain checks, name normalisation, validation records, key algorithm names, the declarations."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.acm_certificate import (
    CertificateResource, alternative_names, domain_problem, key_algorithm, records_pending, validation_records)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REPLACE, ResourceError, converge, refuse


def certificate(**params: object) -> CertificateResource:
    values = {key: spec.get("default") for key, spec in CertificateResource.argument_spec.items()}
    values.update(domain_name="app.example.com")
    values.update(params)
    return CertificateResource(None, values)


@pytest.mark.parametrize("domain", ["app.example.com", "*.example.com", "a-b.example.co.uk", "x" * 63 + ".example.com"])
def test_valid_domains(domain: str) -> None:
    assert domain_problem(domain) is None


@pytest.mark.parametrize("domain, problem", [
    ("localhost", "'localhost' is not a fully qualified domain name"),
    ("app_x.example.com", "'app_x.example.com' is not a fully qualified domain name"),
    ("-app.example.com", "'-app.example.com' is not a fully qualified domain name"),
    ("app.*.example.com", "'app.*.example.com' is not a fully qualified domain name"),
    ("x" * 64 + ".example.com", "is not a fully qualified domain name"),
    ("a." * 127 + "com", "is longer than 253 characters"),
])
def test_invalid_domains(domain: str, problem: str) -> None:
    assert problem in (domain_problem(domain) or "")


def test_alternative_names_are_a_set_without_the_domain() -> None:
    assert alternative_names("App.example.com", ["www.example.com", "app.example.com", "WWW.example.com"]) == ["www.example.com"]


def test_key_algorithm_spelling_is_normalised() -> None:
    assert key_algorithm("RSA-2048") == "RSA_2048"
    assert key_algorithm("EC_prime256v1") == "EC_prime256v1"
    assert key_algorithm(None) is None


def test_validation_records_one_per_record_name() -> None:
    record = {"Name": "_x.example.com.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}
    found = {"Status": "PENDING_VALIDATION", "DomainValidationOptions": [
        {"DomainName": "example.com", "ResourceRecord": record, "ValidationStatus": "PENDING_VALIDATION"},
        {"DomainName": "*.example.com", "ResourceRecord": record, "ValidationStatus": "PENDING_VALIDATION"},
    ]}
    assert validation_records(found) == [{"name": "_x.example.com.", "type": "CNAME", "value": "_y.acm-validations.aws.",
                                          "domain_name": "*.example.com", "status": "PENDING_VALIDATION"}]
    assert not records_pending(found)
    assert records_pending({"Status": "PENDING_VALIDATION", "DomainValidationOptions": [{"DomainName": "example.com"}]})
    assert not records_pending({"Status": "ISSUED"})


def test_desired_keeps_the_name_tag_with_the_task_tags() -> None:
    desired = certificate(name="app", tags={"env": "prd"}, subject_alternative_names=["www.example.com"]).desired()
    assert desired == {"domain_name": "app.example.com", "subject_alternative_names": ["www.example.com"],
                       "key_algorithm": "RSA_2048", "tags": {"env": "prd", "Name": "app"}}


def test_bad_name_is_refused_before_any_call() -> None:
    with pytest.raises(ResourceError, match="'bad name' is not a fully qualified domain name"):
        certificate(subject_alternative_names=["bad name"]).desired()


def test_certificate_in_use_is_not_replaced() -> None:
    with pytest.raises(ResourceError, match="is in use by arn:lb: move those listeners"):
        refuse(certificate(), REPLACE, {"in_use_by": ["arn:lb"]}, {"subject_alternative_names": ["x.example.com"]})
    refuse(certificate(), REPLACE, {"in_use_by": []}, {"subject_alternative_names": ["x.example.com"]})


# ---- declarations: constraints, the in-use refusal and tags through converge ----------------------------------------
def test_every_bad_name_is_reported_at_once_naming_the_certificate() -> None:
    assert CertificateResource.problems({"domain_name": "localhost", "subject_alternative_names": ["ok.example.com", "bad name"]}) == [
        "ACM certificate localhost: 'localhost' is not a fully qualified domain name (such as app.example.com or *.example.com).",
        "ACM certificate localhost: 'bad name' is not a fully qualified domain name (such as app.example.com or *.example.com).",
    ]
    many = ["n%d.example.com" % index for index in range(100)]
    assert CertificateResource.problems({"domain_name": "example.com", "name": "web", "subject_alternative_names": many}) == [
        "ACM certificate web: 101 names is more than ACM allows (100)."]
    assert CertificateResource.problems({"domain_name": "app.example.com", "subject_alternative_names": ["*.example.com"]}) == []


def certificate_answers(aws: t.Any, in_use_by: t.List[str]) -> t.Any:
    found = {"CertificateArn": "arn:cert", "DomainName": "app.example.com", "SubjectAlternativeNames": ["app.example.com"],
             "KeyAlgorithm": "RSA-2048", "Status": "ISSUED", "InUseBy": in_use_by}
    return aws(describe_certificate={"Certificate": found},
               list_tags_for_certificate={"Tags": [{"Key": "Name", "Value": "app"}, {"Key": "old", "Value": "1"}]})


@pytest.mark.parametrize("params, present, message", [
    ({"state": "absent"}, False, "ACM certificate app.example.com is to be deleted but is in use by arn:lb/a, arn:lb/b: move those "
                                 "listeners to another certificate first."),
    ({"subject_alternative_names": ["www.example.com"]}, True, "ACM certificate app.example.com covers other names (ACM cannot "
                                                               "change them) but is in use by arn:lb/a, arn:lb/b: move those "
                                                               "listeners to another certificate first."),
])
def test_a_certificate_in_use_is_neither_deleted_nor_replaced(aws: t.Any, resource: t.Any, params: t.Dict[str, t.Any], present: bool,
                                                              message: str) -> None:
    client = certificate_answers(aws, ["arn:lb/a", "arn:lb/b"])
    with pytest.raises(ResourceError) as refused:
        converge(resource(CertificateResource, client, domain_name="app.example.com", certificate_arn="arn:cert", **params),
                 present=present, check_mode=True)
    assert refused.value.msg == message and client.writes() == []


def test_certificate_tags_go_through_the_acm_tag_calls(aws: t.Any, resource: t.Any) -> None:
    client = certificate_answers(aws, [])
    outcome = converge(resource(CertificateResource, client, domain_name="app.example.com", certificate_arn="arn:cert", name="app",
                                tags={"env": "prd"}))
    assert outcome.changes == ["tags"]
    assert client.writes() == ["add_tags_to_certificate", "remove_tags_from_certificate"]
    assert client.request("add_tags_to_certificate") == {"CertificateArn": "arn:cert", "Tags": [{"Key": "env", "Value": "prd"}]}
    assert client.request("remove_tags_from_certificate") == {"CertificateArn": "arn:cert", "Tags": [{"Key": "old"}]}


def test_an_issued_certificate_is_waited_for_on_the_engine_clock(aws: t.Any, resource: t.Any, sequence: t.Any, clock: t.Any) -> None:
    pending = {"CertificateArn": "arn:cert", "DomainName": "app.example.com", "KeyAlgorithm": "RSA-2048", "Status": "PENDING_VALIDATION",
               "DomainValidationOptions": [{"DomainName": "app.example.com", "ResourceRecord": {"Name": "_x.", "Type": "CNAME", "Value": "_y."}}]}
    client = aws(describe_certificate=sequence({"Certificate": pending}, {"Certificate": pending}, {"Certificate": dict(pending, Status="ISSUED")}))
    outcome = converge(resource(CertificateResource, client, domain_name="app.example.com", certificate_arn="arn:cert"), wait=True,
                       wait_timeout=60, clock=clock)
    assert (outcome.state["status"], clock.sleeps) == ("ISSUED", [10])
