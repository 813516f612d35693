from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "jumin.councils"
    label = "councils"
    verbose_name = "5+5 自治组织"
