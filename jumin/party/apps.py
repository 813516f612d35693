from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jumin.party"
    label = "party"
    verbose_name = "党建引领"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_demo_step,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_opinions
        from .kind import CASE_KIND

        register_case_kind(CASE_KIND)
        register_nav(NavItem("party", "社情民意", "party:opinion-list", "cases.work", order=30))
        register_tile(
            ResidentTile("我要反映", "party:opinion-new", "megaphone", "社情民意,社区 1 个工作日内受理", order=25)
        )
        # The household file lists opinions through core's case timeline source; no separate one here.
        register_demo_step(DemoStep(order=30, label="社情民意", fn=demo_opinions))
        register_urls("jumin.party.urls")
        register_api_router(router)
