from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "jumin.hall"
    label = "hall"
    verbose_name = "服务大厅"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
            FigureSource,
            InboxSource,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_figure_source,
            register_inbox_source,
            register_job,
            register_nav,
            register_role_home,
            register_tile,
            register_urls,
        )

        from . import inbox
        from .api import router
        from .demo import demo_catalogue, demo_hall
        from .figures import figure_rows
        from .jobs import JOBS
        from .kind import RATING_KIND

        register_nav(NavItem("services", "服务事项", "hall:item-list", "cases.work", order=30))
        register_nav(NavItem("services", "窗口叫号", "hall:counter-index", "hall.counter", order=31))
        register_nav(NavItem("services", "大厅预约", "hall:booking-list", "cases.work", order=32))
        register_nav(NavItem("services", "服务记录", "hall:record-list", "cases.work", order=33))
        register_nav(NavItem("services", "大厅统计", "hall:figures", "cases.work", order=34))
        register_nav(NavItem("services", "窗口设置", "hall:window-list", "hall.manage", order=35))
        register_nav(NavItem("services", "预约时段", "hall:slots", "hall.manage", order=36))
        register_tile(ResidentTile("办事指南", "hall:guide", "clipboard", "各窗口能办什么、要带哪些材料", order=30))
        register_tile(ResidentTile("在线取号", "hall:take", "checklist", "到了大厅用手机取号,看还要等多久", order=32))
        register_tile(ResidentTile("预约办事", "hall:book", "clipboard", "选好半天时段,到了签到优先办理", order=33))
        # Every community of the street runs a hall, so every resident's 办事指南 and 申请代办 have something in them.
        register_demo_step(DemoStep(10, "服务大厅窗口与事项", demo_catalogue, every_community=True))
        register_demo_step(DemoStep(25, "服务大厅预约、取号与评价", demo_hall))
        # The hall's catalogue of windows and service items.
        register_capability("hall.manage", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_capability("hall.counter", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_case_kind(RATING_KIND)
        register_role_home(Role.KIOSK, "hall:kiosk")
        # Tickets and bookings are one source: 我的事项 costs two queries per source, whatever it holds.
        register_inbox_source(InboxSource("hall", "服务大厅", inbox.hall_entries, inbox.hall_count, order=40))
        register_figure_source(FigureSource("hall", "服务大厅", figure_rows, order=40))
        register_urls("jumin.hall.urls")
        register_api_router(router)
        for job in JOBS:
            register_job(job)
