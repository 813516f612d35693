from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from .api import router
        from .models import Role
        from .registry import register_api_router, register_capability, register_urls

        register_capability("audit.view", {Role.SECRETARY, Role.STREET_LEADER})
        register_urls("jumin.core.urls")
        register_api_router(router)
