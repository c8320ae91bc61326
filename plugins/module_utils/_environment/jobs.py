# -*- coding: utf-8 -*-
# Copyright: contributors to agno.infra
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scheduled jobs (agno_env.jobs): their schedules checked, written as EventBridge Scheduler takes them (aws), and the
scheduler loop that runs one in its app's image on docker.

A schedule is ``rate(N unit)`` or a cron expression of five fields as crontab(5) writes them (minute, hour, day of
month, month, day of week; numbers, ``*``, ranges, lists and steps), in UTC.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.agno.infra.plugins.module_utils._environment.model import Environment

RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
#: Each cron field's name and range (a day of week 7 is Sunday, as 0).
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
CRON_PART = re.compile(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?")

#: The scheduler of a job on docker: run by the app image's python3 with the job's name, schedule and command. At each
#: due minute (cron) or after each interval (rate) it runs the command and waits for it, so runs never overlap; its
#: output and exit code go to the container's log. Standard library only: it runs in any Python image.
SCHEDULER = r'''
import datetime, signal, subprocess, sys, time


def values(field, low, high):
    found = set()
    for part in field.split(","):
        part, _, step = part.partition("/")
        start, _, end = (str(low), "-", str(high)) if part == "*" else part.partition("-")
        found.update(range(int(start), int(end or start) + 1, int(step or 1)))
    return found


def due(fields, moment):
    minute, hour, day, month, weekday = fields
    weekdays = values(weekday, 0, 7)
    on_day, on_weekday = moment.day in values(day, 1, 31), moment.isoweekday() % 7 in weekdays | ({0} if 7 in weekdays else set())
    # As cron: with both day fields restricted, either one matches.
    dated = (on_day or on_weekday) if "*" not in (day, weekday) else (on_day and on_weekday)
    return dated and moment.minute in values(minute, 0, 59) and moment.hour in values(hour, 0, 23) and moment.month in values(month, 1, 12)


def next_run(expression, after):
    if expression.startswith("rate("):
        count, unit = expression[5:-1].split()
        return after + datetime.timedelta(**{unit.rstrip("s") + "s": int(count)})
    moment = after.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    for _minute in range(60 * 24 * 366 * 4):
        if due(expression.split(), moment):
            return moment
        moment += datetime.timedelta(minutes=1)
    sys.exit("job: %s is never due" % expression)


def main(name, expression, command):
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    moment = datetime.datetime.now(datetime.timezone.utc)
    print("job %s: scheduled %s (UTC)" % (name, expression), flush=True)
    while True:
        moment = next_run(expression, moment)
        time.sleep(max(0.0, (moment - datetime.datetime.now(datetime.timezone.utc)).total_seconds()))
        print("job %s: running %s" % (name, " ".join(command)), flush=True)
        print("job %s: exited with %d" % (name, subprocess.call(command)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
'''


def part_problem(part: str, low: int, high: int) -> bool:
    match = CRON_PART.fullmatch(part)
    if not match:
        return True
    bounds = [int(number) for number in match.group(1).split("-")] if match.group(1) != "*" else [low, high]
    return any(not low <= number <= high for number in bounds) or bounds[0] > bounds[-1] or match.group(2) == "0"


def schedule_problem(expression: str) -> t.Optional[str]:
    """What is wrong with a schedule, in words that end a sentence; None when it is fine."""
    rate = RATE.fullmatch(expression)
    if rate:
        count, unit = int(rate.group(1)), rate.group(2)
        if count < 1 or (count == 1) != (not unit.endswith("s")):
            return "use rate(1 minute), rate(5 minutes) and the like (a count of 1 or more, singular only for 1)"
        return None
    fields = expression.split()
    if len(fields) != len(FIELDS):
        return "use rate(5 minutes) or five cron fields (minute hour day-of-month month day-of-week) such as 0 3 * * *"
    for field, (name, low, high) in zip(fields, FIELDS):
        if any(part_problem(part, low, high) for part in field.split(",")):
            return "its %s field %r is not a cron field of numbers %d to %d (*, ranges, lists, steps)" % (name, field, low, high)
    return None


def cron_schedule(expression: str) -> t.Optional[str]:
    """The schedule as five cron fields (a CronJob's): cron as given, a rate that divides an hour or a day as steps; None
    for a rate no cron expression repeats evenly (rate(7 minutes))."""
    rate = RATE.fullmatch(expression)
    if not rate:
        return expression
    count, unit = int(rate.group(1)), rate.group(2).rstrip("s")
    if unit == "minute" and 60 % count == 0:
        return "* * * * *" if count == 1 else "*/%d * * * *" % count
    if unit == "hour" and 24 % count == 0:
        return "0 * * * *" if count == 1 else "0 */%d * * *" % count
    return "0 0 * * *" if unit == "day" and count == 1 else None


def aws_weekday(field: str) -> str:
    """A day-of-week field in EventBridge's numbering (1 is Sunday) from cron's (0 or 7 is Sunday)."""
    def shifted(number: str) -> str:
        return str(int(number) % 7 + 1)
    return ",".join("-".join(shifted(number) for number in part.split("-")) for part in field.split(","))


def aws_expression(expression: str) -> str:
    """The schedule as EventBridge Scheduler takes it: rate() as given, cron in its six fields (one day field is ?)."""
    if RATE.fullmatch(expression):
        return expression
    minute, hour, day, month, weekday = expression.split()
    if weekday == "*":
        weekday = "?"
    elif day == "*":
        day, weekday = "?", aws_weekday(weekday)
    return "cron(%s %s %s %s %s *)" % (minute, hour, day, month, weekday)


def aws_problem(expression: str) -> t.Optional[str]:
    """What EventBridge cannot take of a schedule that is fine for cron."""
    fields = expression.split()
    if RATE.fullmatch(expression) or len(fields) != len(FIELDS):
        return None
    day, weekday = fields[2], fields[4]
    if "*" not in (day, weekday):
        return "EventBridge takes a day of month or a day of week, not both: set one of them to *"
    if "/" in weekday or "7" in re.split(r"[-,]", weekday) and "-" in weekday:
        return "EventBridge takes days of week as numbers, ranges and lists: write the days, such as 1-5"
    return None


def scheduler_command(job: t.Dict[str, t.Any]) -> t.List[str]:
    """What the scheduler container of a job runs on docker."""
    return ["python3", "-c", SCHEDULER, job["name"], job["schedule"]] + list(job["command"])


def job_errors(env: Environment, longest: int) -> t.List[str]:
    """Unique job names, known apps, schedules cron (and on aws EventBridge) takes, names within ``longest`` on aws."""
    errors: t.List[str] = []
    names = [job["name"] for job in env.jobs]
    apps = [app["name"] for app in env.apps]
    for index, job in enumerate(env.jobs):
        where = "agno_env.jobs[%d]" % index
        if names.count(job["name"]) > 1:
            errors.append("%s.name: %r is used by more than one job: give each job its own name" % (where, job["name"]))
        if job["app"] not in apps:
            errors.append("%s.app: %r is not an app of this environment: name the app the job runs in" % (where, job["app"]))
        problem = schedule_problem(job["schedule"]) or (aws_problem(job["schedule"]) if env.target == "aws" else None)
        if problem:
            errors.append("%s.schedule: %r cannot be scheduled: %s" % (where, job["schedule"], problem))
        resource = "%s-job-%s" % (env.name, job["name"])
        if env.target == "aws" and len(resource) > longest:
            errors.append("%s.name: the job's schedule and role %s would have %d characters, AWS allows %d: shorten the "
                          "environment's or the job's name" % (where, resource, len(resource), longest))
    return errors
