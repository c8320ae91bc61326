"""ACM certificates: domain checks, name normalisation, validation records, key algorithm names."""

from __future__ import annotations

import pytest

from ansible_collections.agno.infra.plugins.module_utils._aws.acm_certificate import (
    CertificateResource, alternative_names, domain_problem, key_algorithm, records_pending, validation_records)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import REPLACE, ResourceError, refuse


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
