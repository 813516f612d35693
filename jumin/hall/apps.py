from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "jumin.hall"
    label = "hall"
    verbose_name = "服务大厅"
