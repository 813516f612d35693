from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jumin.places"
    label = "places"
    verbose_name = "地点"
