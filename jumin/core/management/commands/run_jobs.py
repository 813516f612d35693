import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jumin.core.jobs import job_runs, jobs_run_due
from jumin.core.registry import registry


class Command(BaseCommand):
    help = (
        "运行到期的计划任务(预约提醒、逾期提醒、过期退回等)。由 cron 每 5 分钟运行一次:"
        "*/5 * * * * cd /srv/jumin && .venv/bin/python manage.py run_jobs;或以 --loop 常驻。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="列出所有计划任务及上次运行情况,不运行")
        parser.add_argument("--only", metavar="CODE", help="只运行这一个任务(不论是否到期)")
        parser.add_argument("--loop", action="store_true", help="常驻:每隔 --interval 秒检查一次")
        parser.add_argument("--interval", type=int, default=60, help="--loop 的检查间隔(秒),默认 60")

    def handle(self, *args, **options):
        if options["list"]:
            return self.list_jobs()
        if options["loop"]:
            while True:
                self.run_once(options["only"])
                time.sleep(max(options["interval"], 5))
        if not self.run_once(options["only"]):
            raise CommandError("有计划任务失败,详见上方和日志")

    def run_once(self, only) -> bool:
        try:
            outcomes = jobs_run_due(only=only, force=bool(only))
        except KeyError as exc:
            raise CommandError(f"没有这个计划任务:{only}(用 --list 查看)") from exc
        for o in outcomes:
            if o.ran:
                mark = "✔" if o.succeeded else "✘"
                self.stdout.write(f"{mark} {o.job.label}({o.job.code}):{o.summary}")
        return all(o.succeeded for o in outcomes)

    def list_jobs(self):
        runs = job_runs()
        for job in registry.jobs:
            run = runs.get(job.code)
            last = "从未运行"
            if run and run.started_at:
                state = {True: "成功", False: "失败", None: "运行中"}[run.succeeded]
                last = f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M} {state} {run.summary}"
            hours = job.every.total_seconds() / 3600
            self.stdout.write(f"{job.code:<28} 每 {hours:g} 小时  {job.label}  上次:{last}")
