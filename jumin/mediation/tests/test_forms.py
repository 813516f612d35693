import datetime

from django.utils import translation

from jumin.mediation.forms import AgreementForm, ScanForm


def test_signing_dates_render_as_iso_for_the_date_picker():
    """zh-hans formats dates as 2026/12/01, which <input type=date> cannot read and shows blank."""
    signed = datetime.date(2026, 12, 1)
    with translation.override("zh-hans"):
        for form_class in (AgreementForm, ScanForm):
            html = str(form_class(initial={"signed_at": signed})["signed_at"])
            assert 'type="date"' in html
            assert 'value="2026-12-01"' in html, html
