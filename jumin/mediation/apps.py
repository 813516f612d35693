from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "jumin.mediation"
    label = "mediation"
    verbose_name = "矛盾调解"
