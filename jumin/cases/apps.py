from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jumin.cases"
    label = "cases"
    verbose_name = "事项"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_nav,
            register_shell_context,
            register_tile,
            register_timeline_source,
            register_urls,
        )

        from .api import router
        from .selectors import unread_count
        from .timeline import case_events

        # The work queue and figures; which kinds a role may work is set per kind (CaseKind.worker_roles).
        register_capability("cases.work", OFFICE_ROLES)
        register_capability("cases.figures", {Role.SECRETARY, Role.STREET_LEADER})
        register_capability("cases.export", {Role.SECRETARY, Role.STREET_LEADER, Role.WINDOW_STAFF, Role.GRID_WORKER})
        register_nav(NavItem("services", "工作队列", "cases:case-queue", "cases.work", order=1))
        register_nav(NavItem("data", "接诉即办统计", "cases:case-figures", "cases.figures", order=50))
        register_tile(
            ResidentTile("我的事项", "cases:my-cases", "checklist", "我提交的每件事,办到哪一步一目了然", order=5)
        )
        register_timeline_source(case_events)
        register_urls("jumin.cases.urls")
        register_api_router(router)
        register_shell_context(unread_count)
