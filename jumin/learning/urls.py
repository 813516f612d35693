from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("me/learning/", views.my_courses, name="my-courses"),
    path("me/learning/courses/<uuid:course_uuid>/", views.course_study, name="course-study"),
    path("me/learning/code/", views.my_code, name="my-code"),
    path("me/learning/branch/", views.branch_progress, name="branch-progress"),
    path("learning/documents/<uuid:document_uuid>/", views.document, name="document"),
    path("learning/station/", views.station, name="station"),
    path("learning/station/sessions/<uuid:session_uuid>/", views.session_detail, name="session"),
    path("learning/station/sessions/<uuid:session_uuid>/end/", views.session_end, name="session-end"),
    path(
        "learning/station/sessions/<uuid:session_uuid>/attendees/<uuid:attendance_uuid>/",
        views.attendee_record,
        name="attendee",
    ),
    path("office/learning/courses/", views.course_list, name="course-list"),
    path("office/learning/courses/export.xlsx", views.course_export, name="course-export"),
    path("office/learning/courses/new/", views.course_new, name="course-new"),
    path("office/learning/courses/<uuid:course_uuid>/", views.course_detail, name="course-detail"),
    path("office/learning/courses/<uuid:course_uuid>/edit/", views.course_edit, name="course-edit"),
    path("office/learning/progress/", views.progress, name="progress"),
    path("office/learning/progress/export.xlsx", views.progress_export, name="progress-export"),
    path("office/learning/orgs/", views.org_progress, name="org-progress"),
    path("office/learning/orgs/export.xlsx", views.org_progress_export, name="org-progress-export"),
    path("office/learning/records/", views.record_list, name="record-list"),
    path("office/learning/records/export.xlsx", views.record_export, name="record-export"),
]
