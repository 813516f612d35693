from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "jumin.mediation"
    label = "mediation"
    verbose_name = "矛盾调解"

    def ready(self):
        from jumin.cases.kinds import register_case_kind
        from jumin.core.models import Role
        from jumin.core.registry import (
            DemoStep,
            NavItem,
            ResidentTile,
            register_api_router,
            register_capability,
            register_demo_step,
            register_nav,
            register_tile,
            register_timeline_source,
            register_urls,
        )

        from .api import router
        from .demo import demo_disputes
        from .kind import CASE_KIND
        from .rules import ASSIGN_MEDIATOR, MEDIATES
        from .timeline import dispute_entries

        register_case_kind(CASE_KIND)
        # Everyone in the office may open the list: it shows only the disputes they are entitled to see.
        register_nav(NavItem("autonomy", "矛盾调解", "mediation:dispute-list", "cases.work", order=30))
        register_tile(ResidentTile("申请调解", "mediation:dispute-new", "chat", "邻里纠纷,调解员帮您化解", order=40))
        # Who may see a dispute lives beside it and in the case engine's tables.
        cases = self.apps.get_app_config("cases")
        register_timeline_source(dispute_entries, models=[*self.get_models(), *cases.get_models()])
        register_demo_step(DemoStep(order=40, label="矛盾调解", fn=demo_disputes))
        # Registering disputes and assigning mediators.
        register_capability("mediation.manage", {Role.SECRETARY, Role.MEDIATOR})
        register_capability(ASSIGN_MEDIATOR, {Role.SECRETARY})
        register_capability(MEDIATES, {Role.MEDIATOR})
        register_urls("jumin.mediation.urls")
        register_api_router(router)
