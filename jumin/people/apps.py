from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jumin.people"
    label = "people"
    verbose_name = "户籍与居民"

    def ready(self):
        from jumin.core.registry import NavItem, ResidentTile, register_nav, register_tile, register_timeline_source

        from .timeline import register_events

        register_nav(NavItem("data", "住户台账", "people:household-list", "register.view", order=10))
        register_nav(NavItem("data", "居民台账", "people:resident-list", "register.view", order=20))
        register_nav(NavItem("data", "花名册导入", "people:roster-import", "register.import", order=30))
        register_nav(NavItem("data", "账号激活审核", "people:activation-list", "activation.approve", order=40))
        register_tile(ResidentTile("我的家庭", "people:my-household", "home", "一户一档:家庭成员与办事记录", order=10))
        register_timeline_source(register_events)
