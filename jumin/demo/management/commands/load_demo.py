import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jumin.demo.accounts import DemoError, format_table
from jumin.demo.layout import STREET_NAME
from jumin.demo.loader import DEFAULT_SEED, load_demo
from jumin.places.models import Community


class Command(BaseCommand):
    help = "载入演示数据:北镇街道的7个社区(玉龙湖社区 2,680 户、9,380 人)、户籍、标签和演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="人口倍数,用于压力测试(默认 1)")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有社区时跳过,不报错")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子(默认 {DEFAULT_SEED})")

    def handle(self, *args, scale, if_empty, seed, **options):
        if scale < 1:
            raise CommandError("--scale 必须是正整数")
        if Community.objects.exists():
            if if_empty:
                self.stdout.write("演示数据已存在(数据库中已有社区),跳过载入。")
                return
            raise CommandError("数据库已有数据(已有社区),不能载入演示数据。请换一个空数据库,或加 --if-empty 跳过。")
        started = time.perf_counter()
        # Deadlines in the demo count working days like real ones: the holidays come first.
        call_command("seed_holidays", stdout=self.stdout)
        try:
            totals = load_demo(scale=scale, seed=seed)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        # Fresh statistics for the query planner: the empty tables' (or none) made SQLite pick a worse index for the
        # register's searches once they held a street.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started

        rows = [[t.name, f"{t.households:,}", f"{t.residents:,}"] for t in totals]
        rows.append(
            [f"{STREET_NAME}合计", f"{sum(t.households for t in totals):,}", f"{sum(t.residents for t in totals):,}"]
        )
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入(倍数 {scale},用时 {elapsed:.1f} 秒)"))
        self.stdout.write(format_table(["社区", "户数", "人数"], rows))
        self.stdout.write("演示账号:python manage.py demo_accounts(make run 会自动列出)")
