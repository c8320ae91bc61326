"""Scheduled jobs: schedules checked before any change, written as EventBridge takes them, and the docker scheduler's
idea of when a job is due."""

from __future__ import annotations

import datetime
import typing as t

import pytest

from ansible_collections.agno.infra.plugins.module_utils._environment import jobs, model

UTC = datetime.timezone.utc


@pytest.mark.parametrize("expression", ["rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "rate(1 day)", "* * * * *",
                                        "0 3 * * *", "*/15 9-17 * * 1-5", "0 0 1,15 * *", "30 2 * * 0,6"])
def test_schedules_cron_and_rate_take(expression: str) -> None:
    assert jobs.schedule_problem(expression) is None


@pytest.mark.parametrize("expression,words", [
    ("rate(1 minutes)", "singular only for 1"), ("rate(0 minutes)", "a count of 1 or more"), ("every day", "five cron fields"),
    ("61 * * * *", "its minute field '61'"), ("0 3 * 13 *", "its month field '13'"), ("*/0 * * * *", "its minute field"),
    ("0 3 * * mon", "its day of week field 'mon'"), ("5-1 * * * *", "its minute field '5-1'")])
def test_a_bad_schedule_says_what_to_write(expression: str, words: str) -> None:
    assert words in str(jobs.schedule_problem(expression))


def test_eventbridge_takes_rate_as_given_and_cron_with_six_fields_and_its_own_weekdays() -> None:
    assert jobs.aws_expression("rate(5 minutes)") == "rate(5 minutes)"
    assert jobs.aws_expression("0 3 * * *") == "cron(0 3 * * ? *)"
    assert jobs.aws_expression("*/15 9-17 * * 1-5") == "cron(*/15 9-17 ? * 2-6 *)"
    assert jobs.aws_expression("30 2 * * 0,6") == "cron(30 2 ? * 1,7 *)"
    assert jobs.aws_expression("0 0 1,15 * *") == "cron(0 0 1,15 * ? *)"
    assert "not both" in str(jobs.aws_problem("0 0 1 * 1"))
    assert "ranges and lists" in str(jobs.aws_problem("0 0 * * */2"))
    assert jobs.aws_problem("0 0 * * 1-5") is None


def scheduler() -> t.Dict[str, t.Any]:
    """The docker scheduler's functions, without running it."""
    namespace: t.Dict[str, t.Any] = {"__name__": "scheduler"}
    exec(jobs.SCHEDULER, namespace)  # pylint: disable=exec-used  # noqa: S102 - the collection's own code
    return namespace


def test_the_docker_scheduler_finds_the_next_due_minute_as_cron_does() -> None:
    next_run = scheduler()["next_run"]
    monday = datetime.datetime(2026, 11, 30, 10, 7, 30, tzinfo=UTC)
    assert next_run("* * * * *", monday) == datetime.datetime(2026, 11, 30, 10, 8, tzinfo=UTC)
    assert next_run("0 3 * * *", monday) == datetime.datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert next_run("*/15 * * * *", monday) == datetime.datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
    # Sunday is 0 and 7; with both day fields restricted either one matches.
    assert next_run("0 0 * * 7", monday) == datetime.datetime(2026, 12, 6, 0, 0, tzinfo=UTC)
    assert next_run("0 0 13 * 5", monday) == datetime.datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    assert next_run("rate(5 minutes)", monday) == monday + datetime.timedelta(minutes=5)
    assert next_run("rate(1 day)", monday) == monday + datetime.timedelta(days=1)


def test_a_docker_job_runs_the_scheduler_in_python_with_its_name_schedule_and_command() -> None:
    command = jobs.scheduler_command({"name": "report", "schedule": "0 3 * * *", "command": ["python", "-m", "app.report"]})
    assert command[:2] == ["python3", "-c"] and command[3:] == ["report", "0 3 * * *", "python", "-m", "app.report"]


def environment(**changes: t.Any) -> model.Environment:
    raw = {"name": "shop", "target": "aws", "apps": [{"name": "api", "kind": "fastapi", "image": "api:1"}],
           "jobs": [{"name": "report", "app": "api", "command": ["true"], "schedule": "0 3 * * *"}]}
    raw.update(changes)
    return model.environment(raw, "us-east-1")


def test_job_errors_name_the_field_and_the_fix() -> None:
    assert jobs.job_errors(environment(), 64) == []
    twice = [{"name": "report", "app": "api", "command": ["true"], "schedule": "0 3 * * *"}] * 2
    assert jobs.job_errors(environment(jobs=twice), 64)[0] == (
        "agno_env.jobs[0].name: 'report' is used by more than one job: give each job its own name")
    unknown = [{"name": "report", "app": "web", "command": ["true"], "schedule": "0 0 1 * 1"}]
    assert jobs.job_errors(environment(jobs=unknown), 64) == [
        "agno_env.jobs[0].app: 'web' is not an app of this environment: name the app the job runs in",
        "agno_env.jobs[0].schedule: '0 0 1 * 1' cannot be scheduled: EventBridge takes a day of month or a day of week, not "
        "both: set one of them to *"]
    assert "AWS allows 10" in jobs.job_errors(environment(), 10)[0]
