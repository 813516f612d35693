from django.apps import AppConfig


class ErrandsConfig(AppConfig):
    name = "jumin.errands"
    label = "errands"
    verbose_name = "行政代办"

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
        from .demo import demo_errands
        from .kind import CASE_KIND

        register_case_kind(CASE_KIND)
        register_nav(NavItem("services", "行政代办", "errands:list", "cases.work", order=20))
        register_tile(ResidentTile("申请代办", "errands:new", "errand", "不用跑腿,社区工作人员替您办", order=31))
        register_demo_step(DemoStep(20, "行政代办", demo_errands))
        register_urls("jumin.errands.urls")
        register_api_router(router)
