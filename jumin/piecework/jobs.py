"""Home piecework's clock job (run by manage.py run_jobs)."""

import datetime

from django.utils import timezone

from jumin.core.registry import Job

from .services import claims_expire


def expire_claims(now) -> str:
    return f"过期认领退回 {claims_expire(today=timezone.localdate(now))} 件"


JOBS = [Job("piecework.expire_claims", "代工认领过期退回", expire_claims, every=datetime.timedelta(hours=6), order=35)]
