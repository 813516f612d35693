"""Included into the people namespace by people/urls.py: people:roster-import, people:roster-template."""

from django.urls import path

from . import views_roster

urlpatterns = [
    path("office/roster/import/", views_roster.roster_import_page, name="roster-import"),
    path("office/roster/template.xlsx", views_roster.roster_template_download, name="roster-template"),
]
