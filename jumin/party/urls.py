from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("me/opinions/new/", views.opinion_new, name="opinion-new"),
    path("office/opinions/", views.opinion_list, name="opinion-list"),
    path("office/opinions/new/", views.office_opinion_new, name="office-opinion-new"),
    path("office/opinions/export.xlsx", views.opinion_export, name="opinion-export"),
]
