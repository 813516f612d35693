from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .api import router
        from .models import Role
        from .registry import NavItem, register_api_router, register_capability, register_nav, register_urls

        register_capability("audit.view", {Role.SECRETARY, Role.STREET_LEADER})
        # 节假日: working-day deadlines of every community of the street follow one calendar.
        register_capability("holidays.edit", {Role.SECRETARY, Role.STREET_LEADER})
        register_nav(NavItem("data", "节假日与调休", "core:holidays", "holidays.edit", order=95))
        register_urls("jumin.core.urls")
        register_api_router(router)
