from django import forms

from jumin.core.forms import Form

from .rules import STAFF_ROLES


class StaffForm(Form):
    """Create (phone, name, role, grids, windows; a street leader also picks the community) or change an account."""

    phone = forms.CharField(label="手机号", max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    name = forms.CharField(label="姓名", max_length=50)
    community = forms.TypedChoiceField(label="社区", coerce=int)
    role = forms.ChoiceField(label="角色")
    grids = forms.TypedMultipleChoiceField(
        label="负责网格(网格员)", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    windows = forms.TypedMultipleChoiceField(
        label="窗口(窗口工作人员)", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, roles, communities, grids, windows, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in STAFF_ROLES if r in roles]
        self.fields["grids"].choices = [
            (g.pk, f"{g.community.name} {g.name}" if len(communities) > 1 else g.name) for g in grids
        ]
        self.fields["windows"].choices = [
            (w.pk, f"{w.community.name} {w.number}号 {w.name}" if len(communities) > 1 else f"{w.number}号 {w.name}")
            for w in windows
        ]
        if len(communities) > 1 and not editing:
            self.fields["community"].choices = [(c.pk, c.name) for c in communities]
        else:
            self.fields.pop("community")
        if editing:
            self.fields.pop("phone")


class SetPasswordForm(Form):
    password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位,不能全是数字,不能是常见密码。",
    )
    password2 = forms.CharField(
        label="再输入一次", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class CommunityForm(Form):
    name = forms.CharField(label="社区名称", max_length=50)
