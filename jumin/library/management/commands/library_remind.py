from django.core.management.base import BaseCommand

from jumin.library.services import loans_remind_overdue


class Command(BaseCommand):
    help = "向借书逾期的读者发送提醒(每本逾期书最多每 3 天提醒一次);适合每天定时运行。"

    def handle(self, *args, **options):
        sent = loans_remind_overdue()
        self.stdout.write(f"已发送 {sent} 条逾期提醒")
