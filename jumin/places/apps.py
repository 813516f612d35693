from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jumin.places"
    label = "places"
    verbose_name = "地点"

    def ready(self):
        from jumin.core.registry import NavItem, register_nav, register_urls

        from . import signals

        signals.connect()
        register_nav(NavItem("data", "小区与网格", "places:overview", "register.view", order=5))
        register_urls("jumin.places.urls")
