"""A test-only app that plugs in the way every new app must: from its own apps.py, editing nothing else."""

import datetime

from django.apps import AppConfig

from jumin.core.registry import (
    FigureRow,
    FigureSource,
    InboxEntry,
    InboxSource,
    NavItem,
    ResidentTile,
    register_api_router,
    register_capability,
    register_figure_source,
    register_inbox_source,
    register_nav,
    register_tile,
    register_urls,
)

PLUGIN_CAPABILITY = "plugin.tend"
WHEN = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)  # newer than anything else in the inbox


def plugin_entries(user, limit):
    if not user.is_resident:
        return []
    entry = InboxEntry(
        when=WHEN, source="测试插件", title="插件的取号 A001", status_label="等候叫号", url="/plugin/", is_open=True
    )
    return [entry][:limit]


def plugin_count(user):
    return 1 if user.is_resident else 0


def plugin_figures(scope, now):
    return [
        FigureRow(
            code="plugin", label="插件请求", total=4, due_response=4, responded=3, resolved=2, rated=2, satisfied=1
        )
    ]


class PluginConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self):
        from jumin.core.models import Role

        from .api import router

        register_capability(PLUGIN_CAPABILITY, {Role.SECRETARY})
        register_nav(NavItem("sharing", "插件工作台", "plugin_app:home", PLUGIN_CAPABILITY, order=99))
        register_tile(ResidentTile("插件服务", "plugin_app:home", "checklist", "由测试插件登记", order=99))
        register_urls("tests.plugin_app.urls")
        register_api_router(router, "/plugin")
        register_inbox_source(InboxSource("plugin", "测试插件", plugin_entries, plugin_count, order=50))
        register_figure_source(FigureSource("plugin", "插件请求", plugin_figures))
