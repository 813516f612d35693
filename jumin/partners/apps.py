from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "jumin.partners"
    label = "partners"
    verbose_name = "共建单位"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            register_api_router,
            register_capability,
            register_demo_step,
            register_inbox_source,
            register_nav,
            register_role_home,
            register_urls,
        )

        from .api import router
        from .demo import demo_bookings, demo_meetings, demo_partners
        from .inbox import joint_task_source
        from .kind import CASE_KIND

        register_case_kind(CASE_KIND)
        register_capability("partners.view", {Role.SECRETARY, Role.STREET_LEADER, Role.PARTY_REP, Role.GRID_WORKER})
        register_capability("partners.manage", {Role.SECRETARY, Role.STREET_LEADER})
        # Book a unit's shared resource: community staff for the community or a council, residents for their group.
        register_capability(
            "partners.book", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER, Role.PARTY_REP, Role.RESIDENT}
        )
        register_nav(NavItem("party", "党建联席会议", "partners:meeting-list", "partners.view", order=40))
        register_nav(NavItem("sharing", "共建单位", "partners:unit-list", "partners.view", order=10))
        register_inbox_source(joint_task_source)
        register_role_home(Role.PARTNER_MEMBER, "partners:my-unit")
        register_nav(NavItem("sharing", "共建资源预约", "partners:bookings", "partners.book", order=15))
        # Before the party organisation: its part-time committee members come from these units.
        register_demo_step(DemoStep(order=25, label="共建单位", fn=demo_partners))
        register_demo_step(DemoStep(order=45, label="党建联席会议", fn=demo_meetings))
        register_demo_step(DemoStep(order=46, label="共建资源预约", fn=demo_bookings))
        register_urls("jumin.partners.urls")
        register_api_router(router, "/partners")
