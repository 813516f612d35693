from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "jumin.staff"
    label = "staff"
    verbose_name = "工作人员账号"

    def ready(self):
        from jumin.core.models import Role
        from jumin.core.registry import NavItem, register_api_router, register_capability, register_nav, register_urls

        from .api import router

        # Who may hand out which role is staff.rules.ASSIGNABLE; these say who reaches the pages at all.
        register_capability("staff.view", {Role.SECRETARY, Role.STREET_LEADER})
        register_capability("staff.manage", {Role.SECRETARY, Role.STREET_LEADER})
        register_capability("community.manage", {Role.STREET_LEADER})
        register_nav(NavItem("data", "工作人员账号", "staff:list", "staff.view", order=50))
        register_nav(NavItem("data", "社区管理", "staff:communities", "community.manage", order=51))
        register_urls("jumin.staff.urls")
        register_api_router(router)
