from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jumin.party"
    label = "party"
    verbose_name = "党建引领"
