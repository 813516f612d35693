from django import forms

from jumin.core.forms import Form

from .models import MemberRole


class MemberForm(Form):
    phone = forms.CharField(label="居民手机号", max_length=11, help_text="须为本社区在册居民")
    role = forms.ChoiceField(label="职务", choices=MemberRole.choices)
    term_start = forms.DateField(label="任期开始", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    term_end = forms.DateField(label="任期结束", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class MeetingForm(Form):
    held_at = forms.DateTimeField(
        label="召开时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    topic = forms.CharField(label="议题", max_length=100)
    minutes = forms.CharField(label="会议纪要", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attendees = forms.MultipleChoiceField(label="出席成员", required=False, widget=forms.CheckboxSelectMultiple)
    absent_note = forms.CharField(label="缺席说明", max_length=200, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(m.resident_id), m.resident.name) for m in members]


class ActivityForm(Form):
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label="活动名称", max_length=100)
    summary = forms.CharField(label="活动情况", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.IntegerField(label="参与人数", min_value=0, max_value=100000, initial=0)
