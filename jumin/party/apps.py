from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jumin.party"
    label = "party"
    verbose_name = "党建引领"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
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
        from .demo import demo_opinions
        from .demo_orgs import demo_organisation, demo_reception_days, demo_service_tasks
        from .inbox import signup_source
        from .kind import CASE_KIND

        register_case_kind(CASE_KIND)
        # Reading the tree and rosters (each sees their part of it); founding, enrolling, approving transfers.
        register_capability("party.view", {Role.SECRETARY, Role.STREET_LEADER, Role.PARTY_REP, Role.GRID_WORKER})
        register_capability("party.manage", {Role.SECRETARY, Role.STREET_LEADER})
        register_nav(NavItem("party", "党组织", "party:org-tree", "party.view", order=10))
        register_nav(NavItem("party", "双报到任务", "party:task-list", "party.view", order=15))
        register_nav(NavItem("party", "党代表接待日", "party:day-list", "party.view", order=20))
        register_nav(NavItem("party", "社情民意", "party:opinion-list", "cases.work", order=30))
        register_tile(
            ResidentTile("我要反映", "party:opinion-new", "megaphone", "社情民意,社区 1 个工作日内受理", order=25)
        )
        register_tile(ResidentTile("红色驿站", "party:my-party", "chat", "预约党代表接待日;党员看自己的档案", order=32))
        register_inbox_source(signup_source)
        # The household file lists opinions through core's case timeline source; no separate one here.
        register_demo_step(DemoStep(order=26, label="党组织", fn=demo_organisation, every_community=True))
        register_demo_step(DemoStep(order=30, label="社情民意", fn=demo_opinions))
        register_demo_step(DemoStep(order=35, label="党代表接待日", fn=demo_reception_days))
        register_demo_step(DemoStep(order=36, label="双报到服务任务", fn=demo_service_tasks))
        register_urls("jumin.party.urls")
        register_api_router(router)
