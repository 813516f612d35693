"""Clock jobs: every app registers its own (core.registry.register_job); `manage.py run_jobs` runs the due ones.

A deployment runs `python manage.py run_jobs` from cron every few minutes (or `run_jobs --loop` as a service).
A job is due when `every` has passed since it last started. Starting is a compare-and-set on JobRun.started_at, so
runners on two hosts, or a slow run still going when cron starts the next, never run one job twice at once; a job
that raises is recorded as failed and tried again at its next turn, and the others still run."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import JobRun
from .registry import Job, registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    job: Job
    ran: bool  # False: not due, or another runner took it
    succeeded: bool = True
    summary: str = ""


def job_runs() -> dict[str, JobRun]:
    return {r.code: r for r in JobRun.objects.filter(code__in=[j.code for j in registry.jobs])}


def job_is_due(job: Job, run: JobRun | None, now) -> bool:
    return run is None or run.started_at is None or run.started_at <= now - job.every


def _claim(job: Job, run: JobRun | None, now, force: bool) -> bool:
    if run is None:
        try:
            with transaction.atomic():
                JobRun.objects.create(code=job.code, started_at=now, runs=1, succeeded=None)
        except IntegrityError:
            return False  # another runner created it first and runs it
        return True
    claimed = JobRun.objects.filter(pk=run.pk, started_at=run.started_at)
    if not force and run.started_at is not None:
        claimed = claimed.filter(started_at__lte=now - job.every)
    return bool(claimed.update(started_at=now, succeeded=None, runs=F("runs") + 1))


def jobs_run_due(*, now=None, only: str | None = None, force: bool = False) -> list[Outcome]:
    """Run every due job (or `only` that one, due or not when `force`). Jobs commit item by item themselves
    (one reminder, one expiry at a time), so a failure half-way keeps what was done and the rest is retried."""
    now = now or timezone.now()
    jobs = [j for j in registry.jobs if only is None or j.code == only]
    if only is not None and not jobs:
        raise KeyError(only)
    runs = job_runs()
    outcomes = []
    for job in jobs:
        run = runs.get(job.code)
        if not (force or job_is_due(job, run, now)) or not _claim(job, run, now, force):
            outcomes.append(Outcome(job, ran=False))
            continue
        try:
            summary = job.run(now) or "完成"
        except Exception as exc:  # one failing job must not stop the others; the log keeps the traceback
            logger.exception("job %s failed", job.code)
            summary, succeeded = f"失败:{type(exc).__name__}", False
        else:
            succeeded = True
        JobRun.objects.filter(code=job.code).update(
            finished_at=timezone.now(),
            succeeded=succeeded,
            summary=summary[:300],
            failures=F("failures") + (0 if succeeded else 1),
        )
        outcomes.append(Outcome(job, ran=True, succeeded=succeeded, summary=summary))
    return outcomes
