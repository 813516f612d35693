from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "jumin.hall"
    label = "hall"
    verbose_name = "服务大厅"

    def ready(self):
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_catalogue

        register_nav(NavItem("services", "服务事项", "hall:item-list", "cases.work", order=30))
        register_tile(ResidentTile("办事指南", "hall:guide", "clipboard", "各窗口能办什么、要带哪些材料", order=30))
        # Every community of the street runs a hall, so every resident's 办事指南 and 申请代办 have something in them.
        register_demo_step(DemoStep(10, "服务大厅窗口与事项", demo_catalogue, every_community=True))
        # The hall's catalogue of windows and service items.
        register_capability("hall.manage", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_urls("jumin.hall.urls")
        register_api_router(router)
