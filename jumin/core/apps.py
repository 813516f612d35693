from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .registry import NavItem, register_nav

        register_nav(NavItem("data", "操作记录", "core:audit-list", "audit.view", order=90))
