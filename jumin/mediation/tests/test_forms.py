import datetime

from django.utils import translation

from jumin.mediation.forms import AgreementForm, FailForm, FollowUpForm, ScanForm, first_error


def test_signing_dates_render_as_iso_for_the_date_picker():
    """zh-hans formats dates as 2026/12/01, which <input type=date> cannot read and shows blank."""
    signed = datetime.date(2026, 12, 1)
    with translation.override("zh-hans"):
        for form_class in (AgreementForm, ScanForm):
            html = str(form_class(initial={"signed_at": signed})["signed_at"])
            assert 'type="date"' in html
            assert 'value="2026-12-01"' in html, html


def test_a_panel_form_sent_back_names_the_field_in_its_notice():
    """These forms come back as a notice on the case page, away from the field: the notice names it."""
    assert first_error(FailForm({})) == "请填写调解未成的原因"
    assert first_error(ScanForm({}, {})) == "请选择双方签字的协议扫描件"
    assert first_error(FollowUpForm({"follow-method": "visit"})) == "请填写协议履行情况"
    with translation.override("zh-hans"):
        bad_date = first_error(AgreementForm({"agreement-text": "双方同意", "agreement-signed_at": "明天"}))
    assert bad_date.startswith("签字日期:") and "日期" in bad_date[5:]
