from django.core.management.base import BaseCommand

from jumin.demo.accounts import demo_accounts_table


class Command(BaseCommand):
    help = "列出数据库中现有的演示账号及其密码(仅限演示数据)。"

    def handle(self, *args, **options):
        self.stdout.write(demo_accounts_table())
