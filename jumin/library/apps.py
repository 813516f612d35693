from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "jumin.library"
    label = "library"
    verbose_name = "好家风阅览室"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            InboxSource,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_inbox_source,
            register_job,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_library
        from .inbox import loan_count, loan_entries
        from .jobs import JOBS

        register_capability("library.view", OFFICE_ROLES)
        register_capability("library.desk", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER})
        register_nav(NavItem("services", "阅览室借还", "library:desk", "library.desk", order=45))
        register_nav(NavItem("services", "阅览室图书", "library:book-list", "library.view", order=46))
        register_nav(NavItem("services", "借阅记录", "library:loan-list", "library.view", order=47))
        register_tile(ResidentTile("好家风阅览室", "library:catalogue", "clipboard", "查书、预约,看我借的书", order=45))
        register_inbox_source(InboxSource("library_loans", "借阅", entries=loan_entries, count=loan_count, order=45))
        register_demo_step(DemoStep(order=45, label="好家风阅览室", fn=demo_library))
        register_urls("jumin.library.urls")
        register_api_router(router)
        for job in JOBS:
            register_job(job)
