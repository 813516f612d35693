from django.apps import AppConfig


class PieceworkConfig(AppConfig):
    name = "jumin.piecework"
    label = "piecework"
    verbose_name = "家庭代工"

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
            register_job,
            register_nav,
            register_role_home,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_piecework
        from .inbox import claim_count, claim_entries
        from .jobs import JOBS
        from .services import MANAGE_ROLES

        register_capability("piecework.view", OFFICE_ROLES)
        register_capability("piecework.manage", MANAGE_ROLES)
        register_nav(NavItem("services", "家庭代工", "piecework:orders", "piecework.view", order=35))
        register_tile(
            ResidentTile("家庭代工", "piecework:resident-orders", "parcel", "在家接计件活,验收后发工资", order=34)
        )
        register_inbox_source(InboxSource("piecework", "家庭代工", claim_entries, claim_count, order=60))
        register_role_home(Role.FACTORY_CONTACT, "piecework:factory-home")
        register_demo_step(DemoStep(45, "家庭代工", demo_piecework))
        register_urls("jumin.piecework.urls")
        register_api_router(router)
        for job in JOBS:
            register_job(job)
