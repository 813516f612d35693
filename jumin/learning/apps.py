from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jumin.learning"
    label = "learning"
    verbose_name = "灯塔加油站"

    def ready(self):
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_inbox_source,
            register_nav,
            register_role_home,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_learning
        from .inbox import assignment_source

        # Progress and records of the members one sees in the party tree; writing courses and assigning them;
        # running on-site sessions at the station.
        register_capability("learning.view", {Role.SECRETARY, Role.STREET_LEADER, Role.PARTY_REP, Role.GRID_WORKER})
        register_capability("learning.manage", {Role.SECRETARY, Role.STREET_LEADER})
        register_capability("learning.tutor", {Role.TUTOR, Role.SECRETARY})
        register_nav(NavItem("party", "灯塔加油站课程", "learning:course-list", "learning.view", order=50))
        register_nav(NavItem("party", "党员学习情况", "learning:progress", "learning.view", order=51))
        register_nav(NavItem("party", "到站学习", "learning:station", "learning.tutor", order=52))
        register_tile(
            ResidentTile("灯塔加油站", "learning:my-courses", "checklist", "党员学习:课程、测验、到站签到", order=33)
        )
        register_inbox_source(assignment_source)
        register_role_home(Role.TUTOR, "learning:station")
        # After the organisation (26) and the reception days (35): assignments go to its organisations.
        register_demo_step(DemoStep(order=37, label="灯塔加油站", fn=demo_learning))
        register_urls("jumin.learning.urls")
        register_api_router(router, "/learning")
