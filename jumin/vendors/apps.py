from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "jumin.vendors"
    label = "vendors"
    verbose_name = "便民服务队"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.models import OFFICE_ROLES, Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_nav,
            register_role_home,
            register_tile,
            register_urls,
        )

        from .api import router
        from .demo import demo_vendors
        from .kind import COMPLAINT_CASE_KIND, SERVICE_ORDER_KIND
        from .services import VET_ROLES

        register_case_kind(SERVICE_ORDER_KIND)
        register_case_kind(COMPLAINT_CASE_KIND)
        register_capability("vendors.view", OFFICE_ROLES)
        register_capability("vendors.vet", VET_ROLES)
        register_nav(NavItem("services", "便民服务商家", "vendors:list", "vendors.view", order=30))
        register_nav(NavItem("services", "便民服务订单", "vendors:orders", "vendors.view", order=31))
        register_tile(
            ResidentTile("便民服务", "vendors:browse", "wrench", "家政、维修、开锁,社区审核的商家上门", order=33)
        )
        register_role_home(Role.VENDOR, "vendors:vendor-home")
        register_demo_step(DemoStep(40, "便民服务队", demo_vendors))
        register_urls("jumin.vendors.urls")
        register_api_router(router)
