from django.core.management.base import BaseCommand
from django.utils import timezone

from jumin.core.errors import DomainError
from jumin.core.holidays import holidays_seed_year


class Command(BaseCommand):
    help = "从 chinese-calendar 写入法定节假日与调休(每年单独写入;工作人员更正过的日子保持不变)"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份,默认今年和明年")

    def handle(self, *args, years, **options):
        this_year = timezone.localdate().year
        for year in years or [this_year, this_year + 1]:
            try:
                r = holidays_seed_year(year)
            except DomainError as exc:
                self.stdout.write(self.style.WARNING(exc.message))
                continue
            self.stdout.write(
                f"{year} 年节假日:新增 {r['created']} 天,更新 {r['updated']} 天,"
                f"保留工作人员更正 {r['kept']} 天,移除 {r['removed']} 天"
            )
