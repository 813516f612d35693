import re

from django import forms

from jumin.core.forms import Form

from .models import Gender, Relationship, ResidentStatus, Tag

PHONE_RE = re.compile(r"^1\d{10}$")


class DateInput(forms.DateInput):
    """A browser date picker. It only understands ISO dates, while the zh-hans locale formats them as
    1956/08/13, which the picker shows as blank, so an edit form would lose the date on file."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def gender_field():
    return forms.ChoiceField(
        label="性别",
        choices=[("", "按身份证号识别"), *Gender.choices],
        required=False,
        help_text="可不选:按身份证号识别,选了则核对",
    )


def birth_date_field():
    return forms.DateField(
        label="出生日期", widget=DateInput(), required=False, help_text="可不填:按身份证号识别,填了则核对"
    )


ID_LENGTH_MESSAGE = "身份证号应为18位(最后一位可为X)"


def id_number_field(label="身份证号", **extra):
    """18 characters; the length message names the field instead of Django's generic 确保该变量至少包含 18 字符."""
    return forms.CharField(
        label=label,
        max_length=18,
        min_length=18,
        error_messages={
            "required": f"请填写{label}",
            "min_length": ID_LENGTH_MESSAGE,
            "max_length": ID_LENGTH_MESSAGE,
        },
        **extra,
    )


def clean_phone_value(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError("手机号应为以 1 开头的 11 位数字")
    return value


class ResidentForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    # No default: a new member is rarely the head, and the household has one already.
    relationship = forms.ChoiceField(label="与户主关系", choices=[("", "请选择"), *Relationship.choices])
    id_number = id_number_field()
    # Both follow from the ID number (GB 11643); typed in, they are cross-checked against it.
    gender = gender_field()
    birth_date = birth_date_field()
    phone = forms.CharField(label="手机号", max_length=11, required=False)
    tags = forms.ModelMultipleChoiceField(
        label="标签", queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写姓名")
        return name

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class ResidentEditForm(ResidentForm):
    """On edit the ID number may be left blank to keep the one on file (it is never shown in full here)."""

    id_number = forms.CharField(label="身份证号", max_length=18, required=False, help_text="不修改请留空")

    def __init__(self, *args, with_birth_date=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_birth_date:  # roles that may not see it (selectors.can_see_identity): it follows the ID number
            del self.fields["birth_date"]

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip().upper()
        if value and len(value) != 18:
            raise forms.ValidationError(ID_LENGTH_MESSAGE)
        return value


class MoveOutForm(Form):
    status = forms.ChoiceField(
        label="类型",
        choices=[(ResidentStatus.MOVED_OUT, "迁出"), (ResidentStatus.DECEASED, "已故")],
        initial=ResidentStatus.MOVED_OUT,
    )
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdForm(Form):
    compound = forms.ModelChoiceField(label="小区", queryset=None, empty_label="请选择小区")
    building = forms.CharField(label="楼栋", max_length=20, help_text="如 3号楼")
    unit = forms.CharField(label="单元", max_length=20, help_text="如 1单元")
    number = forms.CharField(label="房号", max_length=20, help_text="如 302")
    name = forms.CharField(label="户主姓名", max_length=50)
    id_number = id_number_field("户主身份证号")
    # Both follow from the ID number (GB 11643); typed in, they are cross-checked against it.
    gender = gender_field()
    birth_date = birth_date_field()
    phone = forms.CharField(label="手机号", max_length=11, required=False)
    tags = forms.ModelMultipleChoiceField(
        label="标签", queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, compounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class ActivationForm(Form):
    phone = forms.CharField(
        label="手机号", max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"})
    )
    id_number = id_number_field()
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_phone(self):
        value = clean_phone_value(self.cleaned_data.get("phone"))
        if not value:
            raise forms.ValidationError("请填写手机号")
        return value

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        if data.get("password"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class RejectForm(Form):
    reason = forms.CharField(label="驳回原因", max_length=200)
