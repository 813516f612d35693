from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jumin.people"
    label = "people"
    verbose_name = "户籍与居民"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
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
        from .signals import connect
        from .timeline import register_events

        connect()

        register_nav(NavItem("data", "住户台账", "people:household-list", "register.view", order=10))
        register_nav(NavItem("data", "居民台账", "people:resident-list", "register.view", order=20))
        register_nav(NavItem("data", "花名册导入", "people:roster-import", "register.import", order=30))
        register_nav(NavItem("data", "账号激活审核", "people:activation-list", "activation.approve", order=40))
        register_tile(ResidentTile("我的家庭", "people:my-household", "home", "一户一档:家庭成员与办事记录", order=10))
        register_timeline_source(register_events)
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
