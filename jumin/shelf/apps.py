from django.apps import AppConfig


class ShelfConfig(AppConfig):
    name = "jumin.shelf"
    label = "shelf"
    verbose_name = "便民生活服务直通车"

    def ready(self):
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            FigureSource,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_desk_item,
            register_figure_source,
            register_inbox_source,
            register_nav,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_shelf
        from .figures import figure_rows
        from .inbox import DESK_ITEMS, order_source

        register_capability("shelf.view", OFFICE_ROLES)
        # The hall's shelf keepers: window staff and the secretary (not the vendors of 便民服务队).
        register_capability("shelf.keep", {Role.SECRETARY, Role.WINDOW_STAFF})
        register_capability("shelf.order", {Role.RESIDENT})
        # Staff who may be sent with a delivery (volunteers are residents: selectors.deliverers_for adds them).
        register_capability("shelf.deliver", {Role.SECRETARY, Role.WINDOW_STAFF, Role.GRID_WORKER})
        register_nav(NavItem("sharing", "直通车订单", "shelf:orders", "shelf.view", order=20))
        register_nav(NavItem("sharing", "直通车商品库存", "shelf:products", "shelf.view", order=21))
        register_nav(NavItem("sharing", "直通车节省报表", "shelf:report", "shelf.view", order=22))
        register_tile(ResidentTile("便民直通车", "shelf:browse", "parcel", "出厂价买日用品,60岁以上免费送货", order=35))
        register_inbox_source(order_source)
        register_figure_source(FigureSource("shelf", "直通车订单", figure_rows, order=70))
        for item in DESK_ITEMS:
            register_desk_item(item)
        register_demo_step(DemoStep(order=70, label="便民生活服务直通车", fn=demo_shelf))
        register_urls("jumin.shelf.urls")
        register_api_router(router, "/shelf")
