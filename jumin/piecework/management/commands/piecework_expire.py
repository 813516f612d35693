from django.core.management.base import BaseCommand

from jumin.piecework.services import claims_expire


class Command(BaseCommand):
    help = "代工认领过期:交货期限已过的认领退回未交件数,过期订单截止认领(每天运行一次)"

    def handle(self, *args, **options):
        returned = claims_expire()
        self.stdout.write(f"已退回 {returned} 件")
