from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "jumin.deliberation"
    label = "deliberation"
    verbose_name = "居民议事厅"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_desk_item,
            register_inbox_source,
            register_nav,
            register_tile,
            register_timeline_source,
            register_urls,
        )

        from . import board
        from .api import router
        from .demo import demo_deliberation
        from .inbox import DESK_ITEMS, PROPOSAL_SOURCE
        from .timeline import proposal_entries

        # Running the hall: moving proposals, putting them to vote, charters, objections.
        register_capability("deliberation.manage", {Role.SECRETARY})
        # Counting: paper ballots, proxies' letters, the door-to-door list.
        register_capability("deliberation.count", {Role.SECRETARY, Role.GRID_WORKER, Role.WINDOW_STAFF})
        register_capability("deliberation.view", set(OFFICE_ROLES))
        register_nav(NavItem("autonomy", "居民议事厅", "deliberation:office-proposals", "deliberation.view", order=10))
        register_nav(NavItem("autonomy", "表决", "deliberation:office-ballots", "deliberation.view", order=12))
        register_nav(NavItem("autonomy", "小区自治公约", "deliberation:office-charters", "deliberation.view", order=14))
        register_nav(NavItem("autonomy", "议事设置", "deliberation:office-settings", "deliberation.view", order=16))
        register_tile(ResidentTile("居民议事", "deliberation:proposals", "megaphone", "提议题、附议、看进展", order=20))
        register_tile(
            ResidentTile("投票表决", "deliberation:ballots", "checklist", "小区和社区的事,大家投票定", order=21)
        )
        register_timeline_source(proposal_entries, models=list(self.get_models()))
        register_demo_step(DemoStep(order=50, label="居民议事厅", fn=demo_deliberation))
        register_inbox_source(PROPOSAL_SOURCE)
        for item in DESK_ITEMS:
            register_desk_item(item)
        register_urls("jumin.deliberation.urls")
        register_api_router(router)
        board.register_board_section(board.BoardSection("proposals", "议事进展", board.proposal_section, order=10))
        board.register_board_section(board.BoardSection("ballots", "表决结果", board.ballot_section, order=20))
        board.register_board_section(board.BoardSection("spending", "实施进展与支出", board.spending_section, order=30))
        board.register_board_section(board.BoardSection("charters", "小区自治公约", board.charter_section, order=40))
