"""CloudFormation stacks: template and parameter comparison, change sets, protection and failure reasons."""

from __future__ import annotations

import typing as t

import pytest
from botocore.exceptions import ClientError

from ansible_collections.agno.infra.plugins.module_utils._aws.cloudformation_stack import (
    StackResource, failure_reasons, has_failed, is_busy, normalise_template, parameter_value, parameters_differ, s3_location)
from ansible_collections.agno.infra.plugins.module_utils._engine.lifecycle import DELETE, ResourceError, converge, refuse


def test_json_templates_compare_as_data_whatever_their_layout() -> None:
    as_dict = {"Resources": {"A": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "x", "Type": "String"}}}}
    as_text = '{\n  "Resources": {"A": {"Properties": {"Type": "String", "Value": "x"}, "Type": "AWS::SSM::Parameter"}}\n}\n'
    assert normalise_template(as_dict) == normalise_template(as_text) == as_dict


def test_yaml_templates_compare_as_text_without_trailing_blanks() -> None:
    written = "Resources:  \r\n  A:\n    Type: AWS::SNS::Topic\n\n"
    stored = "Resources:\n  A:\n    Type: AWS::SNS::Topic"
    assert normalise_template(written) == normalise_template(stored) == stored
    assert normalise_template(stored) != normalise_template(stored.replace("SNS::Topic", "SQS::Queue"))


@pytest.mark.parametrize("value, expected", [(True, "true"), (False, "false"), (3, "3"), (["a", "b"], "a,b"), ("x", "x")])
def test_parameter_values_become_strings_as_cloudformation_stores_them(value: t.Any, expected: str) -> None:
    assert parameter_value(value) == expected


def test_only_given_parameters_are_compared_and_no_echo_counts_as_equal() -> None:
    current = {"Env": "prd", "Password": "****", "Size": "2"}
    assert not parameters_differ(current, {"Env": "prd"})
    assert not parameters_differ(current, {"Password": "secret"})
    assert parameters_differ(current, {"Env": "dev"})
    assert parameters_differ(current, {"New": "1"})
    assert parameters_differ(None, {"Env": "prd"})


@pytest.mark.parametrize("url, location", [
    ("https://assets.s3.eu-west-1.amazonaws.com/stacks/app.yml", ("assets", "stacks/app.yml")),
    ("https://my.assets.s3.amazonaws.com/app.yml", ("my.assets", "app.yml")),
    ("https://assets.s3-eu-west-1.amazonaws.com/a%20b.yml", ("assets", "a b.yml")),
    ("https://s3.eu-west-1.amazonaws.com/assets/stacks/app.yml", ("assets", "stacks/app.yml")),
    ("http://localhost:5000/assets/app.yml", ("assets", "app.yml")),
])
def test_s3_locations(url: str, location: t.Tuple[str, str]) -> None:
    assert s3_location(url) == location


@pytest.mark.parametrize("url", ["https://example.com", "https://example.com/only-bucket", "s3://assets/app.yml"])
def test_urls_that_are_not_s3_objects_are_refused(url: str) -> None:
    with pytest.raises(ResourceError, match="is not the URL of an S3 object"):
        s3_location(url)


@pytest.mark.parametrize("status, busy, failed", [
    ("CREATE_IN_PROGRESS", True, False), ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", True, False),
    ("REVIEW_IN_PROGRESS", False, False), ("CREATE_COMPLETE", False, False), ("UPDATE_COMPLETE", False, False),
    ("ROLLBACK_COMPLETE", False, True), ("UPDATE_ROLLBACK_COMPLETE", False, True), ("DELETE_FAILED", False, True),
])
def test_stack_statuses(status: str, busy: bool, failed: bool) -> None:
    assert (is_busy(status), has_failed(status)) == (busy, failed)


def event(logical_id: str, status: str, reason: t.Optional[str] = None, kind: str = "AWS::S3::Bucket") -> t.Dict[str, t.Any]:
    return {"LogicalResourceId": logical_id, "ResourceStatus": status, "ResourceStatusReason": reason, "ResourceType": kind}


def test_failure_reasons_of_the_latest_operation_cause_first() -> None:
    stack = "AWS::CloudFormation::Stack"
    events = [  # newest first
        event("app", "ROLLBACK_COMPLETE", kind=stack),
        event("Topic", "CREATE_FAILED", "Resource creation cancelled", "AWS::SNS::Topic"),
        event("Assets", "CREATE_FAILED", "assets already exists"),
        event("Assets", "CREATE_IN_PROGRESS"),
        event("app", "CREATE_IN_PROGRESS", "User Initiated", stack),
        event("Old", "UPDATE_FAILED", "from an earlier operation"),
    ]
    assert failure_reasons(events, "app") == [
        "Assets (AWS::S3::Bucket): assets already exists",
        "Topic (AWS::SNS::Topic): Resource creation cancelled",
    ]


class FakeCloudFormation:
    """Records calls; answers CreateChangeSet and DescribeChangeSet as told."""

    def __init__(self, change_set: t.Optional[t.Dict[str, t.Any]] = None, refuse: t.Optional[str] = None,
                 stack: t.Optional[t.Dict[str, t.Any]] = None, events: t.Optional[t.List[t.Dict[str, t.Any]]] = None) -> None:
        self.calls: t.List[t.Tuple[str, t.Dict[str, t.Any]]] = []
        self.change_set = change_set or {"Status": "CREATE_COMPLETE"}
        self.refuse = refuse
        self.stack = stack
        self.events = events or []

    def get_paginator(self, operation: str) -> t.Any:
        assert operation == "describe_stack_events"
        return type("Pages", (), {"paginate": lambda _self, **request: [{"StackEvents": self.events}]})()

    def __call__(self, service: str) -> "FakeCloudFormation":
        assert service == "cloudformation"
        return self

    def __getattr__(self, operation: str) -> t.Callable[..., t.Dict[str, t.Any]]:
        def call(**request: t.Any) -> t.Dict[str, t.Any]:
            self.calls.append((operation, request))
            if operation == "create_change_set" and self.refuse:
                raise ClientError({"Error": {"Code": "ValidationError", "Message": self.refuse}}, "CreateChangeSet")
            answers = {"create_change_set": {"Id": "cs-1"}, "describe_change_set": self.change_set,
                       "describe_stacks": {"Stacks": [self.stack]}}
            return answers.get(operation, {})
        return call

    def operations(self) -> t.List[str]:
        return [operation for operation, _request in self.calls]


def stack_resource(client: FakeCloudFormation, **params: t.Any) -> StackResource:
    defaults = {"name": "app", "state": "present", "template": None, "template_file": None, "template_url": None,
                "parameters": None, "capabilities": [], "termination_protection": None, "on_create_failure": None,
                "tags": None, "purge_tags": True, "wait": True, "wait_timeout": 5}
    return StackResource(client, dict(defaults, **params))


CURRENT = {"stack_id": "arn:stack/app/1", "parameters": {"Env": "prd", "Size": "2"}, "tags": {"team": "a"},
           "termination_protection": False}


def test_change_set_keeps_what_the_task_does_not_manage() -> None:
    request = stack_resource(FakeCloudFormation()).change_set_request(CURRENT, {"tags": {"app": "x"}})
    assert request["UsePreviousTemplate"] is True
    assert request["Parameters"] == [{"ParameterKey": "Env", "UsePreviousValue": True},
                                     {"ParameterKey": "Size", "UsePreviousValue": True}]
    assert request["Tags"] == [{"Key": "app", "Value": "x"}]
    merged = stack_resource(FakeCloudFormation(), purge_tags=False).change_set_request(CURRENT, {"tags": {"app": "x"}})
    assert merged["Tags"] == [{"Key": "app", "Value": "x"}, {"Key": "team", "Value": "a"}]


def test_change_set_sends_the_given_template_and_parameters() -> None:
    resource = stack_resource(FakeCloudFormation(), template="Resources: {}\n")
    request = resource.change_set_request(CURRENT, {"parameters": {"Env": "dev"}})
    assert request["TemplateBody"] == "Resources: {}\n" and "UsePreviousTemplate" not in request
    assert request["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "dev"}]
    assert "Tags" not in request


def test_a_computed_change_set_is_executed() -> None:
    client = FakeCloudFormation()
    stack_resource(client).apply_change_set(CURRENT, {"tags": {}})
    assert client.operations() == ["create_change_set", "describe_change_set", "execute_change_set"]


def test_an_empty_change_set_is_deleted_not_executed() -> None:
    client = FakeCloudFormation({"Status": "FAILED", "StatusReason": "The submitted information didn't contain changes."})
    stack_resource(client).apply_change_set(CURRENT, {"tags": {}})
    assert client.operations() == ["create_change_set", "describe_change_set", "delete_change_set"]


def test_a_refused_empty_update_is_no_change() -> None:
    client = FakeCloudFormation(refuse="No updates are to be performed.")
    stack_resource(client).apply_change_set(CURRENT, {"tags": {}})
    assert client.operations() == ["create_change_set"]


def test_a_failed_change_set_is_deleted_and_explained() -> None:
    client = FakeCloudFormation({"Status": "FAILED", "StatusReason": "Template format error: unknown type."})
    with pytest.raises(ResourceError, match=r"could not create a change set for stack app \(Template format error: unknown type\)"):
        stack_resource(client).apply_change_set(CURRENT, {"tags": {}})
    assert client.operations()[-1] == "delete_change_set"


def test_a_protected_stack_is_deleted_only_when_the_task_lifts_the_protection() -> None:
    protected = dict(CURRENT, termination_protection=True)
    with pytest.raises(ResourceError, match="has termination protection"):
        refuse(stack_resource(FakeCloudFormation(), state="absent"), DELETE, protected, {})
    client = FakeCloudFormation()
    resource = stack_resource(client, state="absent", termination_protection=False, wait=False)
    refuse(resource, DELETE, protected, {})
    resource.delete(protected)
    assert client.calls == [("update_termination_protection", {"StackName": "app", "EnableTerminationProtection": False}),
                            ("delete_stack", {"StackName": "arn:stack/app/1"})]


def test_a_failed_wait_quotes_the_stack_events() -> None:
    stack = {"StackName": "app", "StackId": "arn:stack/app/1", "StackStatus": "ROLLBACK_COMPLETE"}
    events = [event("app", "ROLLBACK_COMPLETE", kind="AWS::CloudFormation::Stack"),
              event("Assets", "CREATE_FAILED", "assets already exists."),
              event("app", "CREATE_IN_PROGRESS", "User Initiated", "AWS::CloudFormation::Stack")]
    resource = stack_resource(FakeCloudFormation(stack=stack, events=events))
    with pytest.raises(ResourceError, match=r"stack app ended in ROLLBACK_COMPLETE: Assets \(AWS::S3::Bucket\): assets "
                                            r"already exists\. Fix the template") as caught:
        resource.wait({"stack_id": "arn:stack/app/1"}, timeout=5)
    assert caught.value.details == {"reasons": ["Assets (AWS::S3::Bucket): assets already exists."]}


def test_stack_name_and_template_url_are_checked_before_any_call() -> None:
    assert StackResource.problems({"name": "1-app_stack", "template_url": "https://example.com"}) == [
        "name is '1-app_stack': use 1 to 128 letters, digits and hyphens, starting with a letter.",
        "template_url 'https://example.com' is not the URL of an S3 object: give one such as "
        "https://BUCKET.s3.REGION.amazonaws.com/KEY.",
    ]
    assert StackResource.problems({"name": "agno-prd", "template_url": "https://assets.s3.eu-west-1.amazonaws.com/app.yml"}) == []


class Deleting(FakeCloudFormation):
    """A stack whose DescribeStacks answers go through ``statuses``, the last one repeated."""

    def __init__(self, *statuses: str, protected: bool = False) -> None:
        super().__init__(events=[event("Bucket", "DELETE_FAILED", "The bucket is not empty")])
        self.statuses = list(statuses)
        self.protected = protected

    def describe_stacks(self, **request: t.Any) -> t.Dict[str, t.Any]:
        self.calls.append(("describe_stacks", request))
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"Stacks": [{"StackName": "app", "StackId": "arn:stack/app/1", "StackStatus": status,
                            "EnableTerminationProtection": self.protected}]}

    def writes(self) -> t.List[str]:
        return [operation for operation in self.operations() if not operation.startswith("describe")]


def test_a_stack_deletion_is_waited_for_on_the_engine_clock(clock: t.Any) -> None:
    client = Deleting("CREATE_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_IN_PROGRESS", "DELETE_COMPLETE")
    outcome = converge(stack_resource(client, state="absent"), present=False, wait=True, wait_timeout=60, clock=clock)
    assert (outcome.action, client.writes(), clock.sleeps) == ("delete", ["delete_stack"], [5.0, 5.0])
    assert client.calls[-1] == ("describe_stacks", {"StackName": "arn:stack/app/1"})


def test_a_failed_stack_deletion_quotes_the_stack_events(clock: t.Any) -> None:
    client = Deleting("UPDATE_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED")
    with pytest.raises(ResourceError) as failed:
        converge(stack_resource(client, state="absent"), present=False, wait=True, wait_timeout=60, clock=clock)
    assert failed.value.msg == ("CloudFormation stack app ended in DELETE_FAILED: Bucket (AWS::S3::Bucket): The bucket is not "
                                "empty. Fix the template or parameters and run again.")


def test_a_protected_stack_is_refused_until_the_task_lifts_the_protection(clock: t.Any) -> None:
    client = Deleting("CREATE_COMPLETE", protected=True)
    with pytest.raises(ResourceError, match="has termination protection: set termination_protection: false in the task"):
        converge(stack_resource(client, state="absent"), present=False, check_mode=True)
    lifted = Deleting("CREATE_COMPLETE", "DELETE_COMPLETE", protected=True)
    converge(stack_resource(lifted, state="absent", termination_protection=False), present=False, wait=True, clock=clock)
    assert (client.writes(), lifted.writes(), clock.sleeps) == ([], ["update_termination_protection", "delete_stack"], [])
