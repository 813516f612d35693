from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def install_timeline_version(using="default", **kwargs):
    """The database moves the "timeline" data version on every write to what the household file's timeline
    sources read (core.registry.register_timeline_source)."""
    from . import dataversion
    from .registry import registry

    dataversion.install("timeline", registry.timeline_models, connection=connections[using])


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .api import router
        from .models import Role
        from .registry import NavItem, register_api_router, register_capability, register_nav, register_urls

        post_migrate.connect(install_timeline_version, sender=self, dispatch_uid="core_timeline_version")
        register_capability("audit.view", {Role.SECRETARY, Role.STREET_LEADER})
        # 节假日: working-day deadlines of every community of the street follow one calendar.
        register_capability("holidays.edit", {Role.SECRETARY, Role.STREET_LEADER})
        register_nav(NavItem("data", "节假日与调休", "core:holidays", "holidays.edit", order=95))
        register_urls("jumin.core.urls")
        register_api_router(router)
