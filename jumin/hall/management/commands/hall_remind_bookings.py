from django.core.management.base import BaseCommand

from jumin.hall.services.bookings import bookings_send_reminders


class Command(BaseCommand):
    help = "给明天有预约的居民发提醒(站内消息和短信);可重复运行,已提醒的不再发送。建议每天傍晚由 cron 运行。"

    def handle(self, *args, **options):
        sent = bookings_send_reminders()
        self.stdout.write(f"已发送 {sent} 条预约提醒")
