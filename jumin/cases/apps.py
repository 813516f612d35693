from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jumin.cases"
    label = "cases"
    verbose_name = "事项"

    def ready(self):
        from jumin.core.models import COMMUNITY_STAFF_ROLES, OFFICE_ROLES, Role
        from jumin.core.registry import (
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_desk_item,
            register_inbox_source,
            register_nav,
            register_shell_context,
            register_tile,
            register_timeline_source,
            register_urls,
        )

        from . import rules
        from .api import router
        from .desk import DESK_ITEMS
        from .inbox import CASE_SOURCE
        from .selectors import unread_count
        from .timeline import case_events

        # The work queue and figures; which kinds a role may work is set per kind (CaseKind.worker_roles).
        register_capability("cases.work", OFFICE_ROLES)
        register_capability("cases.figures", {Role.SECRETARY, Role.STREET_LEADER})
        register_capability("cases.export", {Role.SECRETARY, Role.STREET_LEADER, Role.WINDOW_STAFF, Role.GRID_WORKER})
        # Every case of the community, confidential ones included, of any kind; told of every new case.
        register_capability(rules.COMMUNITY_WIDE, {Role.SECRETARY})
        # The street's desk: cases a community handed up, and confidential ones once escalated.
        register_capability(rules.STREET_DESK, {Role.STREET_LEADER})
        # Hand on a case that is not one's own.
        register_capability(rules.ASSIGN_ANY, {Role.SECRETARY, Role.STREET_LEADER})
        # Hand a case up to the street: community staff (the street is the top).
        register_capability(rules.ESCALATE, COMMUNITY_STAFF_ROLES)
        register_nav(NavItem("services", "工作队列", "cases:case-queue", "cases.work", order=1))
        register_nav(NavItem("data", "接诉即办统计", "cases:case-figures", "cases.figures", order=50))
        register_tile(
            ResidentTile("我的事项", "cases:my-cases", "checklist", "我提交的每件事,办到哪一步一目了然", order=5)
        )
        register_timeline_source(case_events, models=list(self.get_models()))
        register_urls("jumin.cases.urls")
        register_api_router(router)
        register_shell_context(unread_count)
        register_inbox_source(CASE_SOURCE)
        for item in DESK_ITEMS:
            register_desk_item(item)
