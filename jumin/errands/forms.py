from django import forms

from jumin.core.forms import Form

from .models import CODE_LENGTH, Handover
from .services import PHONE_RE


def _clean_phone(value: str) -> str:
    value = (value or "").strip()
    if not PHONE_RE.match(value):
        raise forms.ValidationError("联系电话应为以 1 开头的 11 位数字")
    return value


class ErrandRequestForm(Form):
    """申请代办 for one item: which of its documents are ready, how they reach the community, how to reach the
    resident. The item travels as a hidden field; the view has already checked it may be done by proxy."""

    item = forms.ModelChoiceField(label="代办事项", queryset=None, widget=forms.HiddenInput())
    documents_ready = forms.MultipleChoiceField(
        label="已经备好的材料(可多选,没备好的可以以后再准备)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handover = forms.ChoiceField(
        label="材料怎么交给社区",
        choices=[(Handover.VISIT, "请工作人员上门收取"), (Handover.WINDOW, "我自己或家人送到服务大厅窗口")],
        initial=Handover.VISIT,
        required=False,  # left out, staff collect at home
        widget=forms.RadioSelect,
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=11,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text="工作人员用这个号码联系您收取材料、通知领取结果",
    )
    contact_note = forms.CharField(
        label="怎么联系您方便(可不填)",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如:工作日下午在家;请先联系女儿",
    )

    def __init__(self, *args, item, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].initial = item.pk
        documents = list(item.required_documents)
        if documents:
            self.fields["documents_ready"].choices = [(name, name) for name in documents]
        else:
            del self.fields["documents_ready"]
            del self.fields["handover"]

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data.get("contact_phone"))


class PickupForm(Form):
    code = forms.CharField(label="取件码", min_length=CODE_LENGTH, max_length=CODE_LENGTH)
    picked_up_by_name = forms.CharField(label="领取人", max_length=50, required=False)


class ResultForm(Form):
    note = forms.CharField(label="办理结果", max_length=1000)
