"""花名册导入 pages: upload a roster (try first, then import for real) and download the blank template."""

import secrets

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import render

from jumin.core import errors
from jumin.core.access import request_scope, require
from jumin.core.exports import xlsx_response
from jumin.core.forms import Form
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


# After a dry run the file is kept for a while, so 正式导入 does not make staff choose it again
# (browsers clear file inputs). One file per user, under a random name, deleted once imported.
KEPT_SESSION_KEY = "roster_kept_upload"


def _keep(request, upload) -> None:
    _discard(request)
    upload.seek(0)
    path = default_storage.save(f"roster-uploads/{secrets.token_hex(16)}.xlsx", ContentFile(upload.read()))
    request.session[KEPT_SESSION_KEY] = {"path": path, "name": upload.name}


def _kept(request):
    kept = request.session.get(KEPT_SESSION_KEY)
    if kept and default_storage.exists(kept["path"]):
        return kept
    return None


def _discard(request) -> None:
    kept = request.session.pop(KEPT_SESSION_KEY, None)
    if kept and default_storage.exists(kept["path"]):
        default_storage.delete(kept["path"])


@office_required
@require("register.import")
def roster_import_page(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    report = None
    dry_run = request.POST.get("mode") != "import"
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kept = _kept(request) if upload is None and not dry_run else None
        if upload is None and kept is None:
            form.add_error("file", "请选择花名册文件(.xlsx)")
        else:
            source = upload or default_storage.open(kept["path"], "rb")
            try:
                report = roster_import(
                    actor=request.user,
                    scope=request_scope(request),
                    community=request.user.community,
                    file=source,
                    dry_run=dry_run,
                )
            except errors.DomainError as exc:
                form.add_error("file", exc.message)
            else:
                if dry_run:
                    _keep(request, upload)
                else:
                    _discard(request)
            finally:
                if kept is not None:
                    source.close()
    context = {
        "form": form,
        "report": report,
        "kept": _kept(request),
        "columns": TEMPLATE_COLUMNS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "people/roster_import.html", context)


@office_required
@require("register.import")
def roster_template_download(request):
    return xlsx_response(roster_template(), "花名册模板")
