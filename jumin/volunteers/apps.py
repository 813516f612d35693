from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "jumin.volunteers"
    label = "volunteers"
    verbose_name = "志愿服务"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            InboxSource,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_inbox_source,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_volunteers
        from .inbox import signup_count, signup_entries

        register_capability("volunteers.view", OFFICE_ROLES)
        register_capability("volunteers.manage", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER, Role.PARTY_REP})
        register_capability("volunteers.rule", {Role.SECRETARY})
        register_nav(NavItem("services", "志愿服务", "volunteers:activity-list", "volunteers.view", order=40))
        register_nav(NavItem("services", "志愿者", "volunteers:volunteer-list", "volunteers.view", order=41))
        register_tile(ResidentTile("志愿服务", "volunteers:me", "clipboard", "报名志愿活动,查看时长和积分", order=40))
        register_inbox_source(
            InboxSource("volunteer_signups", "志愿报名", entries=signup_entries, count=signup_count, order=40)
        )
        register_demo_step(DemoStep(order=40, label="志愿服务", fn=demo_volunteers))
        register_urls("jumin.volunteers.urls")
        register_api_router(router)
