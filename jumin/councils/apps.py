from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "jumin.councils"
    label = "councils"
    verbose_name = "5+5 自治组织"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_capability,
            register_demo_step,
            register_nav,
            register_tile,
            register_urls,
        )
        from jumin.deliberation.board import BoardSection, register_board_section

        from .board import activity_section
        from .demo import demo_councils

        register_capability("councils.manage", {Role.SECRETARY})
        register_capability("councils.view", set(OFFICE_ROLES))
        register_nav(NavItem("autonomy", "5+5 自治组织", "councils:office-list", "councils.view", order=16))
        register_tile(ResidentTile("自治组织", "councils:list", "clipboard", "5+5 理事会在做什么", order=22))
        register_demo_step(DemoStep(order=51, label="5+5 自治组织", fn=demo_councils))
        register_urls("jumin.councils.urls")
        register_board_section(BoardSection("councils", "5+5 自治组织动态", activity_section, order=50))
