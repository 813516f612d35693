from django.urls import path

from . import views
from .views import orgs, tasks

app_name = "party"

urlpatterns = [
    path("me/opinions/new/", views.opinion_new, name="opinion-new"),
    path("me/party/", views.my_party, name="my-party"),
    path("me/party/tasks/<uuid:task_uuid>/", tasks.my_task, name="my-task"),
    path("me/reception-days/", views.reception_schedule, name="reception-schedule"),
    path("me/reception-days/<uuid:day_uuid>/", views.my_reception_day, name="my-reception-day"),
    path("office/opinions/", views.opinion_list, name="opinion-list"),
    path("office/opinions/new/", views.office_opinion_new, name="office-opinion-new"),
    path("office/opinions/export.xlsx", views.opinion_export, name="opinion-export"),
    path("office/party/orgs/", views.org_tree, name="org-tree"),
    path("office/party/orgs/export.xlsx", orgs.org_tree_export, name="org-tree-export"),
    path("office/party/orgs/place/", orgs.members_place, name="members-place"),
    path("office/party/orgs/<uuid:org_uuid>/", views.org_detail, name="org-detail"),
    path("office/party/orgs/<uuid:org_uuid>/roster.xlsx", views.org_roster_export, name="org-roster-export"),
    path("office/party/members/<uuid:member_uuid>/", views.member_detail, name="member-detail"),
    path("office/party/transfers/", views.transfer_list, name="transfer-list"),
    path("office/party/tasks/", tasks.task_list, name="task-list"),
    path("office/party/tasks/export.xlsx", tasks.task_export, name="task-export"),
    path("office/party/tasks/<uuid:task_uuid>/", tasks.task_detail, name="task-detail"),
    path("office/party/reception-days/", views.day_list, name="day-list"),
    path("office/party/reception-days/new/", views.day_new, name="day-new"),
    path("office/party/reception-days/<uuid:day_uuid>/", views.day_detail, name="day-detail"),
]
