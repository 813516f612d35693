from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jumin.api"
    label = "api"
    verbose_name = "接口"
