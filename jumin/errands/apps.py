from django.apps import AppConfig


class ErrandsConfig(AppConfig):
    name = "jumin.errands"
    label = "errands"
    verbose_name = "行政代办"
