from types import SimpleNamespace

from django import forms
from django.utils import timezone

from jumin.cases.models import CaseFollowUp
from jumin.core.access import roles_with
from jumin.core.forms import Form
from jumin.core.models import User
from jumin.mediation.rules import MEDIATES
from jumin.people.models import Resident

from .models import Category

CATEGORY_CHOICES = [("", "请选择纠纷类型"), *Category.choices]
PARTY_SLOTS = 3


def date_picker() -> forms.DateInput:
    """A browser date picker reads only ISO dates; the zh-hans locale would render 2026/12/01, which it shows blank."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResidentDisputeForm(Form):
    """申请调解 (resident): the other side is named in words, never picked from the register."""

    category = forms.ChoiceField(label="纠纷类型", choices=CATEGORY_CHOICES)
    text = forms.CharField(
        label="发生了什么",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写清楚时间、地点和经过,以及您希望怎样解决。只有调解员和社区书记能看到。",
    )
    title = forms.CharField(label="一句话概括(可不填)", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, PARTY_SLOTS + 1):
            first = n == 1
            self.fields[f"party_name_{n}"] = forms.CharField(
                label="对方姓名" if first else f"第 {n} 位对方姓名(可不填)", max_length=50, required=first
            )
            self.fields[f"party_address_{n}"] = forms.CharField(
                label="对方住址" if first else f"第 {n} 位对方住址(可不填)",
                max_length=120,
                required=first,
                help_text="如:玉龙花园3号楼1单元302" if first else "",
            )

    def clean(self):
        data = super().clean()
        for n in range(2, PARTY_SLOTS + 1):
            name, address = (data.get(f"party_name_{n}") or "").strip(), (data.get(f"party_address_{n}") or "").strip()
            if bool(name) != bool(address):
                self.add_error(f"party_name_{n}" if not name else f"party_address_{n}", "请同时填写姓名和住址")
        return data

    def other_parties(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"name": data.get(f"party_name_{n}", ""), "address": data.get(f"party_address_{n}", "")}
            for n in range(1, PARTY_SLOTS + 1)
        ]


class StaffDisputeForm(Form):
    """登记纠纷 (staff): the parties come from the register; one of them is the requester."""

    requester = forms.ChoiceField(label="申请人", widget=forms.RadioSelect)
    category = forms.ChoiceField(label="纠纷类型", choices=CATEGORY_CHOICES)
    title = forms.CharField(label="标题", max_length=100, required=False, help_text="不填则按纠纷类型生成")
    text = forms.CharField(label="纠纷情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].choices = [(str(r.uuid), r.name) for r in parties]
        self.fields["requester"].error_messages["required"] = "请在已选当事人中选出申请人"
        self.fields["requester"].error_messages["invalid_choice"] = "申请人须是已选的当事人之一"


class AssignMediatorForm(Form):
    mediator = forms.ModelChoiceField(label="调解员", queryset=User.objects.none(), empty_label="请选择调解员")

    def __init__(self, *args, community_id=None, **kwargs):
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = User.objects.filter(
            community_id=community_id, role__in=roles_with(MEDIATES), is_active=True
        ).order_by("name")
        self.fields["mediator"].label_from_instance = lambda user: user.name


class SessionForm(Form):
    held_at = forms.DateTimeField(
        label="调解时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="地点", max_length=100, initial="社区调解室")
    attendees = forms.ModelMultipleChoiceField(
        label="到场当事人", queryset=Resident.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_attendees = forms.CharField(label="其他参加人(可不填)", max_length=200, required=False)
    notes = forms.CharField(label="调解情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, case=None, **kwargs):
        kwargs.setdefault("prefix", "session")
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Resident.objects.filter(case_parties__case=case).order_by("name")
        if not self.is_bound:
            self.initial["held_at"] = timezone.localtime().replace(second=0, microsecond=0)


class AgreementForm(Form):
    text = forms.CharField(label="协议内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    signed_at = forms.DateField(label="签字日期(可不填)", required=False, widget=date_picker())
    signed_scan = forms.FileField(label="双方签字的协议扫描件(PDF/JPG/PNG,5 MB 以内,可稍后上传)", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "agreement")
        super().__init__(*args, **kwargs)


class ScanForm(Form):
    signed_scan = forms.FileField(label="双方签字的协议扫描件(PDF/JPG/PNG,5 MB 以内)")
    signed_at = forms.DateField(label="签字日期(可不填)", required=False, widget=date_picker())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "scan")
        super().__init__(*args, **kwargs)


class FollowUpForm(Form):
    method = forms.ChoiceField(label="回访方式", choices=CaseFollowUp.Method.choices, initial=CaseFollowUp.Method.VISIT)
    note = forms.CharField(
        label="协议履行情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="双方是否按协议履行"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "follow")
        super().__init__(*args, **kwargs)


class FailForm(Form):
    reason = forms.CharField(
        label="调解未成的原因(当事人可见)", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "fail")
        super().__init__(*args, **kwargs)


class CloseForm(Form):
    comment = forms.CharField(label="结案说明(可不填)", max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class EscalateForm(Form):
    reason = forms.CharField(label="移交街道司法所的原因", max_length=900, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "escalate")
        super().__init__(*args, **kwargs)


def panel_forms(detail) -> SimpleNamespace:
    """Unbound forms for the dispute panel; ids carry a prefix so they never clash with the shared page's forms."""
    case = detail.case
    return SimpleNamespace(
        assign=AssignMediatorForm(community_id=case.community_id),
        session=SessionForm(case=case),
        agreement=AgreementForm(),
        scan=ScanForm(),
        follow_up=FollowUpForm(),
        fail=FailForm(),
        close=CloseForm(),
        escalate=EscalateForm(),
    )


def first_error(form) -> str:
    """The first problem of a panel form, sent back to the case page as a notice: it names the field in the words
    the form shows, since the notice stands away from the field ("请填写调解情况", "会谈时间:请输入有效的日期")."""
    for name, problems in form.errors.as_data().items():
        if not problems:
            continue
        field = form.fields.get(name)
        if field is None:
            return problems[0].messages[0]
        label = str(field.label).split("(")[0]
        if problems[0].code == "required":
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
            return f"请{'选择' if choose else '填写'}{label}"
        return f"{label}:{problems[0].messages[0]}"
    return "提交的内容有误,请检查后重试"
