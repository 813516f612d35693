"""花名册导入 pages: upload a roster (try first, then import for real) and download the blank template."""

from django import forms
from django.shortcuts import render

from jumin.core.access import request_scope, require
from jumin.core.exports import xlsx_response
from jumin.core.forms import Form
from jumin.core.sheets import KeptUpload
from jumin.core.views import office_required

from .roster import MAX_ROWS, TEMPLATE_COLUMNS, roster_import, roster_template


class RosterUploadForm(Form):
    file = forms.FileField(
        required=False,
        label="花名册文件(.xlsx)",
        help_text=f"第一行为表头,每次最多 {MAX_ROWS:,} 行。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


# One kept file per user (a dry run's, for 正式导入 without choosing it again); see core.sheets.KeptUpload.
KEPT = KeptUpload("roster_kept_upload", "roster-uploads")
KEPT_SESSION_KEY = KEPT.session_key


@office_required
@require("register.import")
def roster_import_page(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)

    def run(file, dry_run):
        return roster_import(
            actor=request.user,
            scope=request_scope(request),
            community=request.user.community,
            file=file,
            dry_run=dry_run,
        )

    # Households without errors are imported; the corrected file is chosen again, so the kept one is done with.
    report = KEPT.run_import(request, form, run, missing_message="请选择花名册文件(.xlsx)")
    context = {
        "form": form,
        "report": report,
        "kept": KEPT.get(request),
        "columns": TEMPLATE_COLUMNS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "people/roster_import.html", context)


@office_required
@require("register.import")
def roster_template_download(request):
    return xlsx_response(roster_template(), "花名册模板")
