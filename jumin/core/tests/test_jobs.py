"""Clock jobs: due by `every`, started once even when two runners start together, a failure recorded and the
other jobs still run, and the command cron calls."""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from jumin.core.jobs import jobs_run_due
from jumin.core.models import JobRun
from jumin.core.registry import Job, registry

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def jobs(monkeypatch):
    calls = []

    def tidy(now):
        calls.append(("tidy", now))
        return f"整理了 {len(calls)} 次"

    def broken(now):
        calls.append(("broken", now))
        raise ValueError("boom")

    fake = [
        Job("test.tidy", "整理", tidy, every=HOUR, order=1),
        Job("test.broken", "坏的", broken, every=HOUR, order=2),
    ]
    monkeypatch.setattr(registry, "jobs", fake)
    return calls


@pytest.mark.django_db
def test_a_job_runs_when_its_interval_has_passed_and_not_before(jobs):
    assert [o.ran for o in jobs_run_due(now=NOW)] == [True, True]
    assert [o.ran for o in jobs_run_due(now=NOW + HOUR - datetime.timedelta(seconds=1))] == [False, False]
    assert [o.ran for o in jobs_run_due(now=NOW + HOUR)] == [True, True]
    tidy = JobRun.objects.get(code="test.tidy")
    assert (tidy.runs, tidy.failures, tidy.succeeded, tidy.summary) == (2, 0, True, "整理了 3 次")
    assert tidy.started_at == NOW + HOUR


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(jobs):
    outcomes = jobs_run_due(now=NOW)
    assert [(o.job.code, o.succeeded) for o in outcomes] == [("test.tidy", True), ("test.broken", False)]
    broken = JobRun.objects.get(code="test.broken")
    assert (broken.succeeded, broken.failures, broken.summary) == (False, 1, "失败:ValueError")
    # forced from the command line, due or not
    assert jobs_run_due(now=NOW, only="test.tidy", force=True)[0].ran
    with pytest.raises(KeyError):
        jobs_run_due(now=NOW, only="test.nothing")


@pytest.mark.django_db(transaction=True)
def test_two_runners_starting_together_run_each_job_once(jobs):
    jobs_run_due(now=NOW - HOUR)  # both rows exist: the race is on the compare-and-set, not on creating them
    jobs.clear()
    barrier = threading.Barrier(6)

    def runner():
        try:
            barrier.wait(timeout=10)
            jobs_run_due(now=NOW)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(name for name, _ in jobs) == ["broken", "tidy"]
    assert JobRun.objects.get(code="test.tidy").runs == 2


@pytest.mark.django_db
def test_the_command_lists_runs_and_refuses_an_unknown_job(jobs):
    out = StringIO()
    call_command("run_jobs", "--list", stdout=out)
    assert "test.tidy" in out.getvalue() and "从未运行" in out.getvalue()
    with pytest.raises(CommandError, match="有计划任务失败"):
        call_command("run_jobs", stdout=StringIO())
    out = StringIO()
    call_command("run_jobs", "--only", "test.tidy", stdout=out)
    assert "✔ 整理(test.tidy)" in out.getvalue()
    with pytest.raises(CommandError, match="没有这个计划任务"):
        call_command("run_jobs", "--only", "nope", stdout=StringIO())


def test_every_app_job_is_registered_once_with_a_chinese_label():
    codes = [j.code for j in registry.jobs]
    assert len(codes) == len(set(codes))
    assert {"hall.remind_bookings", "hall.mark_missed", "library.expire_holds", "piecework.expire_claims"} <= set(codes)
    assert all(j.every >= datetime.timedelta(minutes=5) and j.label for j in registry.jobs)
