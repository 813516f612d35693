from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .text import CONTROL_MESSAGE, has_control_chars


class NotDemoPasswordValidator:
    """The demo password is public; nobody may choose it in production."""

    def validate(self, password, user=None):
        if not settings.ALLOW_DEMO_PASSWORD and password == settings.DEMO_PASSWORD:
            raise ValidationError("不能使用演示密码,请换一个密码。", code="demo_password")

    def get_help_text(self):
        return "不能使用演示密码。"


@deconstructible
class NoControlChars:
    """Django's side of jumin.core.text: forms (through CleanTextMixin) and model fields may use it."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, str) and has_control_chars(value, multiline=self.multiline):
            raise ValidationError(CONTROL_MESSAGE, code="control_chars")

    def __eq__(self, other):
        return isinstance(other, NoControlChars) and other.multiline == self.multiline
