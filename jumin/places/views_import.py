"""房屋导入 pages: upload a places file (try first, then import for real) and download the blank template."""

from django import forms
from django.shortcuts import render

from jumin.core.access import request_scope, require
from jumin.core.exports import xlsx_response
from jumin.core.forms import Form
from jumin.core.sheets import KeptUpload
from jumin.core.views import office_required

from .imports import MAX_ROWS, TEMPLATE_COLUMNS, places_import, places_template

KEPT = KeptUpload("places_kept_upload", "places-uploads")


class PlacesUploadForm(Form):
    file = forms.FileField(
        required=False,
        label="房屋文件(.xlsx)",
        help_text=f"第一行为表头,每次最多 {MAX_ROWS:,} 行。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    confirm_moves = forms.BooleanField(required=False, label="确认调整网格(试导入列出的楼栋及其住户将调整到表中的网格)")


@office_required
@require("places.manage")
def places_import_page(request):
    form = PlacesUploadForm(request.POST or None, request.FILES or None)

    def run(file, dry_run):
        return places_import(
            actor=request.user,
            scope=request_scope(request),
            community=request.user.community,
            file=file,
            dry_run=dry_run,
            confirm_moves=form.cleaned_data["confirm_moves"],
        )

    # All or nothing: a real import that found errors wrote nothing, so the kept file stays for another try.
    report = KEPT.run_import(
        request, form, run, missing_message="请选择房屋文件(.xlsx)", discard_when=lambda report: not report.errors
    )
    context = {"form": form, "report": report, "kept": KEPT.get(request), "columns": TEMPLATE_COLUMNS}
    return render(request, "places/import.html", context | {"max_rows": MAX_ROWS})


@office_required
@require("places.manage")
def places_template_download(request):
    return xlsx_response(places_template(), "房屋导入模板")
