"""花名册导入 pages: upload a roster (try first, then import for real) and download the blank template."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from jumin.core import errors
from jumin.core.access import request_scope, require
from jumin.core.exports import xlsx_response
from jumin.core.views import office_required

from .roster import MAX_ROWS, TEMPLATE_COLUMNS, roster_import, roster_template


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="花名册文件(.xlsx)",
        help_text=f"第一行为表头,每次最多 {MAX_ROWS:,} 行。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


@office_required
@require("register.import")
def roster_import_page(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = roster_import(
                actor=request.user,
                scope=request_scope(request),
                community=request.user.community,
                file=form.cleaned_data["file"],
                dry_run=request.POST.get("mode") != "import",
            )
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.DomainError as exc:
            form.add_error("file", exc.message)
    context = {"form": form, "report": report, "columns": TEMPLATE_COLUMNS, "max_rows": MAX_ROWS}
    return render(request, "people/roster_import.html", context)


@office_required
@require("register.import")
def roster_template_download(request):
    return xlsx_response(roster_template(), "花名册模板")
