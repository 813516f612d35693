"""Raw edits of the catalogue. Only staff with hall.manage, and only in their own community (superusers: all)."""

from django import forms
from django.contrib import admin

from jumin.core.access import scope_for, user_can
from jumin.core.forms import ModelForm

from .models import ServiceItem, Window, clean_documents


class CommunityScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(community_id__in=scope_for(request.user).community_ids)

    def _may_manage(self, request) -> bool:
        return request.user.is_superuser or user_can(request.user, "hall.manage")

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name in ("community", "window"):
            ids = scope_for(request.user).community_ids
            model = db_field.remote_field.model
            kwargs["queryset"] = model.objects.filter(
                **({"pk__in": ids} if db_field.name == "community" else {"community_id__in": ids})
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Window)
class WindowAdmin(CommunityScopedAdmin):
    list_display = ["number", "name", "community"]
    list_filter = ["community"]


class DocumentsField(forms.CharField):
    """材料清单 edited as one document per line, stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        clean_documents(value)


class ServiceItemForm(ModelForm):
    required_documents = DocumentsField(label="材料清单(每行一项)", required=False)

    class Meta:
        model = ServiceItem
        fields = [
            "community",
            "window",
            "name",
            "description",
            "required_documents",
            "time_limit_working_days",
            "proxy_allowed",
            "in_person_required",
            "active",
        ]


@admin.register(ServiceItem)
class ServiceItemAdmin(CommunityScopedAdmin):
    form = ServiceItemForm
    list_display = ["name", "window", "proxy_allowed", "time_limit_working_days", "active", "community"]
    list_filter = ["community", "proxy_allowed", "active"]
    list_select_related = ["window", "community"]
    search_fields = ["name"]
