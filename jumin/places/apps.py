from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jumin.places"
    label = "places"
    verbose_name = "地点"

    def ready(self):
        from jumin.core.models import Role
        from jumin.core.registry import NavItem, register_api_router, register_capability, register_nav, register_urls

        from . import signals
        from .api import router

        signals.connect()
        register_nav(NavItem("data", "小区与网格", "places:overview", "register.view", order=5))
        register_nav(NavItem("data", "房屋导入", "places:import", "places.manage", order=6))
        # Import the places, correct names, split grids and move buildings between grids (the community's staff
        # who see all of it; a street leader works through a community's secretary).
        register_capability("places.manage", {Role.SECRETARY})
        register_urls("jumin.places.urls")
        register_api_router(router)
