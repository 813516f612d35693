"""manage.py setup: first run on an empty database — the street, its communities and the first street administrator.

Interactive without flags; for scripts: --street, --community (repeat it), --admin-phone, --admin-name and --noinput.
The password is asked for twice (never a flag: it would sit in the shell history); with --noinput it comes from
JUMIN_ADMIN_PASSWORD, or, without it, a one-time link is printed for the administrator to set one."""

import getpass
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from jumin.core.errors import DomainError
from jumin.staff.services import street_setup


class Command(BaseCommand):
    help = "首次设置(空数据库):建立街道、各社区和第一位街道管理员,并给出下一步。"

    def add_arguments(self, parser):
        parser.add_argument("--street", help="街道名称,如 北镇街道")
        parser.add_argument("--district", default="", help="区县(可空)")
        parser.add_argument("--city", default="", help="城市(可空)")
        parser.add_argument("--community", action="append", default=[], help="社区名称;多个社区重复此参数")
        parser.add_argument("--admin-phone", help="街道管理员的手机号(登录用)")
        parser.add_argument("--admin-name", help="街道管理员的姓名")
        parser.add_argument("--site-url", default="http://127.0.0.1:8000", help="网站地址,用于打印链接")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="不提问(缺少的参数即报错)")

    def _ask(self, value, prompt, noinput, *, required=True):
        if value or noinput:
            if required and not value:
                raise CommandError(f"缺少参数:{prompt}")
            return value or ""
        while True:
            answer = input(f"{prompt}:").strip()
            if answer or not required:
                return answer

    def handle(self, *args, **opts):
        noinput = opts["noinput"]
        street = self._ask(opts["street"], "街道名称(如 北镇街道)", noinput)
        district = (
            opts["district"] if noinput or opts["street"] else self._ask("", "区县(可空)", noinput, required=False)
        )
        city = opts["city"] if noinput or opts["street"] else self._ask("", "城市(可空)", noinput, required=False)
        communities = opts["community"] or [
            n.strip()
            for n in self._ask("", "社区名称(多个用逗号分隔)", noinput).replace(",", ",").split(",")
            if n.strip()
        ]
        phone = self._ask(opts["admin_phone"], "街道管理员手机号", noinput)
        name = self._ask(opts["admin_name"], "街道管理员姓名", noinput)
        if noinput:
            password = os.environ.get("JUMIN_ADMIN_PASSWORD") or None
        else:
            password = getpass.getpass("登录密码(至少 8 位,直接回车则改为打印一次性设置密码链接):") or None
            if password is not None and getpass.getpass("再输入一次:") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            admin, raw = street_setup(
                street_name=street,
                district=district,
                city=city,
                communities=communities,
                phone=phone,
                name=name,
                password=password,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        call_command("seed_holidays", stdout=self.stdout)
        site = opts["site_url"].rstrip("/")
        self.stdout.write(
            self.style.SUCCESS(f"已建立 {street}:{'、'.join(communities)},街道管理员 {admin.name}({admin.phone})。")
        )
        if raw:
            self.stdout.write(
                f"请街道管理员打开这个一次性链接设置密码(72 小时内有效):{site}{reverse('staff:setup', args=[raw])}"
            )
        if settings.ID_KEY_FROM_SECRET_KEY and settings.PRODUCTION:
            self.stdout.write(
                self.style.WARNING("提醒:请设置 JUMIN_ID_KEY(见 README「密钥与密钥轮换」),再录入居民身份证号。")
            )
        self.stdout.write(
            "\n下一步:\n"
            f"  1. 街道管理员登录 {site}{reverse('core:login')},在“工作人员账号”中为每个社区开设社区书记账号;\n"
            f"  2. 社区书记登录后,在“房屋导入”({site}{reverse('places:import')})下载模板,导入服务站、网格、小区、楼栋和房屋;\n"
            f"  3. 在“花名册导入”({site}{reverse('people:roster-import')})导入住户和居民;\n"
            f"  4. 在“工作人员账号”({site}{reverse('staff:list')})开设网格员、窗口工作人员等账号,网格员选负责网格。\n"
        )
