from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .validators import NoControlChars


class CleanTextMixin:
    """Every text field of the form refuses control characters (a Textarea keeps line breaks and tabs): one rule
    for every form, the same check the API schemas run (jumin.core.text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(NoControlChars(multiline=isinstance(field.widget, forms.Textarea)))


class Form(CleanTextMixin, forms.Form):
    pass


class ModelForm(CleanTextMixin, forms.ModelForm):
    pass


class PhoneLoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.CharField(
        label="手机号",
        max_length=11,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "手机号或密码不正确,请重新输入。",
        "inactive": "该账号已停用,请联系社区。",
    }


def add_domain_error(form, exc, aliases: dict[str, str] | None = None) -> None:
    """Show a service's DomainError at the field it names (`aliases` maps service names to form names), or at
    the top of the form."""
    field = (aliases or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
