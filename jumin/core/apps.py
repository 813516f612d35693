from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .case_timeline import case_events
        from .registry import NavItem, ResidentTile, register_nav, register_tile, register_timeline_source

        register_nav(NavItem("services", "工作队列", "core:case-queue", "cases.work", order=1))
        register_nav(NavItem("data", "接诉即办统计", "core:case-figures", "cases.figures", order=50))
        register_nav(NavItem("data", "操作记录", "core:audit-list", "audit.view", order=90))
        register_tile(
            ResidentTile("我的事项", "core:my-cases", "checklist", "我提交的每件事,办到哪一步一目了然", order=5)
        )
        register_timeline_source(case_events)
