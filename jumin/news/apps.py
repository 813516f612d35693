from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "jumin.news"
    label = "news"
    verbose_name = "北镇微视与宣传栏"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_news

        register_capability("news.view", OFFICE_ROLES)
        register_capability("news.publish", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER, Role.PARTY_REP})
        register_nav(NavItem("services", "通知公告", "news:notice-list", "news.view", order=50))
        register_nav(NavItem("services", "北镇微视", "news:broadcasts", "news.view", order=51))
        register_tile(ResidentTile("社区通知", "news:my-notices", "megaphone", "停水停电、活动和政策通知", order=8))
        register_tile(ResidentTile("北镇微视", "news:broadcasts", "megaphone", "每周社区新闻,带文字稿", order=50))
        register_demo_step(DemoStep(order=50, label="北镇微视与通知", fn=demo_news))
        register_urls("jumin.news.urls")
        register_api_router(router)
