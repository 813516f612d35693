from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "jumin.dashboards"
    label = "dashboards"
    verbose_name = "工作台"

    def ready(self):
        from jumin.core.registry import NavItem, register_nav, register_urls

        register_nav(NavItem("data", "操作记录", "dashboards:audit-list", "audit.view", order=90))
        register_urls("jumin.dashboards.urls")
