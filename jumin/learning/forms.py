import datetime

from django import forms
from django.core import signing
from django.utils import timezone

from jumin.core.forms import Form
from jumin.core.uploads import ACCEPT, UPLOAD_RULE

from .models import MAX_MINUTES, SignInMethod
from .services import BODY_MAX, MAX_CHOICES

STUDY_SALT = "learning.study"
# A phone study page left open longer than this counts as this long.
MAX_PHONE_MINUTES = 240


def _required(label):
    return {"required": f"请填写{label}", "max_length": f"{label}不能超过 %(limit_value)d 个字"}


class CourseForm(Form):
    title = forms.CharField(label="课程名称", max_length=100, error_messages=_required("课程名称"))
    summary = forms.CharField(label="简介(可不填)", max_length=200, required=False)
    body = forms.CharField(
        label="学习内容(可不填)",
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"max_length": f"学习内容不能超过 {BODY_MAX} 个字"},
    )
    video_url = forms.CharField(
        label="视频链接(可不填)", max_length=500, required=False, help_text="以 https:// 开头,如学习强国的视频地址"
    )
    minutes = forms.IntegerField(
        label="建议学习时长(分钟)",
        min_value=1,
        max_value=MAX_MINUTES,
        initial=30,
        error_messages={
            "required": "请填写学习时长",
            "invalid": "学习时长应为整数",
            "min_value": "学习时长至少 1 分钟",
            "max_value": f"学习时长不能超过 {MAX_MINUTES} 分钟",
        },
    )
    pass_mark = forms.IntegerField(
        label="测验及格线(%)",
        min_value=1,
        max_value=100,
        initial=60,
        help_text="添加测验题后,答对的比例达到及格线才算学完",
        error_messages={
            "required": "请填写及格线",
            "invalid": "及格线应为整数",
            "min_value": "及格线应为 1–100",
            "max_value": "及格线应为 1–100",
        },
    )


class DocumentForm(Form):
    file = forms.FileField(
        label="学习资料",
        help_text=UPLOAD_RULE,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "请选择文件", "invalid": "请选择文件", "empty": "文件是空的"},
    )


class QuestionForm(Form):
    text = forms.CharField(label="题目", max_length=300, error_messages=_required("题目"))
    choices = forms.CharField(
        label="选项(每行一个)",
        max_length=MAX_CHOICES * 101,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("选项"),
    )
    answer = forms.IntegerField(
        label="正确选项的序号",
        min_value=1,
        max_value=MAX_CHOICES,
        help_text="第一个选项为 1",
        error_messages={
            "required": "请填写正确选项的序号",
            "invalid": "序号应为整数",
            "min_value": "序号从 1 开始",
            "max_value": f"序号不能大于 {MAX_CHOICES}",
        },
    )

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class AssignForm(Form):
    org = forms.ChoiceField(label="布置给党组织", required=False)
    member_phone = forms.CharField(
        label="或布置给一名党员(手机号)",
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    due_on = forms.DateField(
        label="截止日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写截止日期", "invalid": "日期格式应为 2026-12-31"},
    )

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {str(o.uuid): o for o in orgs}
        self.fields["org"].choices = [("", "请选择党组织"), *((str(o.uuid), o.name) for o in orgs)]

    def clean(self):
        data = super().clean()
        if bool(data.get("org")) == bool((data.get("member_phone") or "").strip()):
            raise forms.ValidationError("请选择一个党组织,或填一名党员的手机号(二选一)")
        data["org"] = self.orgs.get(data.get("org") or "")
        return data


def quiz_fields(form, questions, prefix="q"):
    """One required radio field per question: q1, q2 … (the value is the choice's index)."""
    for n, question in enumerate(questions, start=1):
        form.fields[f"{prefix}{n}"] = forms.TypedChoiceField(
            label=f"{n}. {question.text}",
            choices=list(enumerate(question.choices)),
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "请选择一个答案", "invalid_choice": "请选择列表中的答案"},
        )


def quiz_answers(form, questions, prefix="q") -> list[int]:
    return [form.cleaned_data[f"{prefix}{n}"] for n in range(1, len(questions) + 1)]


class StudyForm(Form):
    """A member's study on the phone: the page hands out a signed start time (the time spent is measured, not
    typed) and a one-time token; the quiz questions, when the course has them."""

    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = course.question_list
        self.course = course
        quiz_fields(self, self.questions)

    @staticmethod
    def start_token(course, now=None) -> str:
        import secrets

        now = now or timezone.now()
        return signing.dumps({"c": course.pk, "t": int(now.timestamp()), "n": secrets.token_hex(8)}, salt=STUDY_SALT)

    def clean_started(self):
        try:
            data = signing.loads(self.cleaned_data["started"], salt=STUDY_SALT, max_age=datetime.timedelta(days=1))
        except signing.BadSignature as exc:
            raise forms.ValidationError("页面已过期,请重新打开课程再提交") from exc
        if not isinstance(data, dict) or data.get("c") != self.course.pk:
            raise forms.ValidationError("页面已过期,请重新打开课程再提交")
        return data

    def minutes(self, now=None) -> int:
        now = now or timezone.now()
        seconds = now.timestamp() - self.cleaned_data["started"]["t"]
        return max(1, min(MAX_PHONE_MINUTES, round(seconds / 60)))

    def nonce(self) -> str:
        return str(self.cleaned_data["started"]["n"])

    def answers(self):
        return quiz_answers(self, self.questions) if self.questions else None


class SessionForm(Form):
    place = forms.CharField(label="地点", max_length=100, initial="灯塔加油站学习室", error_messages=_required("地点"))


class SignInForm(Form):
    method = forms.ChoiceField(
        label="签到方式",
        choices=SignInMethod.choices,
        initial=SignInMethod.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择签到方式", "invalid_choice": "请选择签到方式"},
    )
    phone = forms.CharField(
        label="手机号", max_length=11, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_tail = forms.CharField(label="身份证后四位", max_length=4, required=False)
    code = forms.CharField(
        label="签到码(党员手机上的 6 位数字,可扫码录入)",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StationRecordForm(Form):
    """What the tutor records for one attendee and one course."""

    minutes = forms.IntegerField(
        label="学习时长(分钟)",
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages={
            "required": "请填写学习时长",
            "invalid": "学习时长应为整数",
            "min_value": "学习时长至少 1 分钟",
            "max_value": f"学习时长不能超过 {MAX_MINUTES} 分钟",
        },
    )
    completed = forms.BooleanField(label="已学完", required=False, initial=True)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = course.question_list
        if self.questions:
            del self.fields["completed"]
            quiz_fields(self, self.questions)

    def answers(self):
        return quiz_answers(self, self.questions) if self.questions else None


class ProgressFilterForm(Form):
    STATUSES = [
        ("", "全部党员"),
        ("overdue", "有逾期课程"),
        ("visit", "需要走访(60岁以上且逾期)"),
        ("todo", "未全部学完"),
        ("done", "已全部学完"),
    ]
    org = forms.ChoiceField(label="党组织", required=False)
    status = forms.ChoiceField(label="学习情况", choices=STATUSES, required=False)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {str(o.uuid): o for o in orgs}
        self.fields["org"].choices = [("", "全部党组织"), *((str(o.uuid), o.name) for o in orgs)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"org": None, "status": ""}
        return {"org": self.orgs.get(self.cleaned_data["org"] or ""), "status": self.cleaned_data["status"]}
