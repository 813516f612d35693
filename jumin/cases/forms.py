from django import forms

from jumin.core.forms import Form
from jumin.core.uploads import ACCEPT, UPLOAD_RULE

from .models import CaseFollowUp, Satisfaction


class TransitionForm(Form):
    to = forms.CharField(widget=forms.HiddenInput)
    expected_status = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    # Ticked for a step that ends the case without doing it (Transition.caution): no pop-up asks instead.
    confirm = forms.BooleanField(label="我已确认", required=False)


def staff_forms(*, staff) -> dict:
    """The case page's forms, each with its own element ids: two forms on one page must not share id_comment."""
    return {
        "message_form": MessageForm(auto_id="message_%s"),
        "assign_form": AssignForm(staff=staff, auto_id="assign_%s"),
        "escalate_form": EscalateForm(auto_id="escalate_%s"),
        "follow_up_form": FollowUpForm(auto_id="follow_up_%s"),
        "attachment_form": StaffAttachmentForm(auto_id="attach_%s"),
    }


class MessageForm(Form):
    """A word that does not move the case: the answer that closes the loop is the case's own 答复 step."""

    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    public = forms.TypedChoiceField(
        label="类型",
        choices=[("1", "给居民留言(居民可见,不改变办理状态)"), ("0", "内部备注(仅工作人员可见)")],
        coerce=lambda v: v == "1",
        initial="1",
    )


class AssignForm(Form):
    assignee = forms.ModelChoiceField(label="转给", queryset=None, empty_label="请选择工作人员")
    comment = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class EscalateForm(Form):
    comment = forms.CharField(label="转交街道的原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class FollowUpForm(Form):
    method = forms.ChoiceField(label="回访方式", choices=CaseFollowUp.Method.choices)
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AttachmentForm(Form):
    file = forms.FileField(label=f"上传附件({UPLOAD_RULE})", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class StaffAttachmentForm(AttachmentForm):
    # Scans of ID cards or contracts stay with staff, like an internal note.
    internal = forms.BooleanField(label="仅工作人员可见(居民看不到)", required=False)


class RatingForm(Form):
    value = forms.ChoiceField(label="您对办理结果满意吗?", choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="还想说的话(可不填)", required=False, max_length=500)


class ReopenForm(Form):
    reason = forms.CharField(label="哪里不满意?", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
