from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("office/", views.office, name="office"),
    path("office/audit/", views.audit_list, name="audit-list"),
]
