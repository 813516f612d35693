from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db import connections
from django.db.models.signals import post_migrate


def id_key_check(app_configs=None, **kwargs):
    """`check --deploy`: the ID numbers still keyed by DJANGO_SECRET_KEY (an upgraded deployment) — changing the
    secret key would make them unreadable until JUMIN_ID_KEY is set."""
    if not settings.ID_KEY_FROM_SECRET_KEY:
        return []
    return [
        checks.Warning(
            "没有设置 JUMIN_ID_KEY:身份证号仍用 DJANGO_SECRET_KEY 加密,更换它会读不出身份证号。",
            hint="把 JUMIN_ID_KEY 设为当前的 DJANGO_SECRET_KEY(或按 README「密钥轮换」换成新密钥并运行 rotate_keys)。",
            id="jumin.W001",
        )
    ]


def install_register_version(using="default", **kwargs):
    """The database moves the "register" data version on every write to what the register lists show (their
    cached pages key on it: people.selectors.list_cache_key)."""
    from jumin.core import dataversion

    from .selectors import REGISTER_MODELS

    dataversion.install("register", REGISTER_MODELS, connection=connections[using])


class PeopleConfig(AppConfig):
    name = "jumin.people"
    label = "people"
    verbose_name = "户籍与居民"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, AuditEvent, Role, User
        from jumin.core.registry import (
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_nav,
            register_tile,
            register_timeline_source,
            register_urls,
        )

        from .api import router
        from .models import Resident
        from .signals import connect
        from .timeline import register_events

        connect()
        post_migrate.connect(install_register_version, sender=self, dispatch_uid="people_register_version")
        checks.register(id_key_check, checks.Tags.security, deploy=True)

        register_nav(NavItem("data", "住户台账", "people:household-list", "register.view", order=10))
        register_nav(NavItem("data", "居民台账", "people:resident-list", "register.view", order=20))
        register_nav(NavItem("data", "花名册导入", "people:roster-import", "register.import", order=30))
        register_nav(NavItem("data", "账号激活审核", "people:activation-list", "activation.approve", order=40))
        register_tile(ResidentTile("我的家庭", "people:my-household", "home", "一户一档:家庭成员与办事记录", order=10))
        register_timeline_source(register_events, models=[AuditEvent, Resident, User])
        register_capability("register.view", OFFICE_ROLES)
        register_capability("register.edit", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER})
        register_capability("register.import", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_capability(
            "register.export", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER, Role.STREET_LEADER}
        )
        # Full ID numbers: the hall needs them to do business for a resident; each reveal is audited.
        register_capability("register.reveal_id", {Role.SECRETARY, Role.WINDOW_STAFF})
        # Full phone numbers on a household file (lists always mask them).
        register_capability("register.see_phone", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER})
        register_capability("activation.approve", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_urls("jumin.people.urls")
        register_api_router(router)
