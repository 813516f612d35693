from django.contrib import admin

from .models import Assignment, Course, Question, StudyRecord, StudySession


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "minutes", "pass_mark", "published", "created_at"]
    list_filter = ["community", "published"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [QuestionInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["course", "org", "member", "due_on"]
    raw_id_fields = ["course", "org", "member", "assigned_by"]


@admin.register(StudySession)
class StudySessionAdmin(admin.ModelAdmin):
    list_display = ["place", "community", "tutor", "started_at", "ended_at"]
    raw_id_fields = ["tutor"]


@admin.register(StudyRecord)
class StudyRecordAdmin(admin.ModelAdmin):
    list_display = ["course", "member", "channel", "minutes", "completed", "score", "studied_at"]
    list_filter = ["channel", "completed"]
    raw_id_fields = ["member", "course", "session", "recorded_by"]
