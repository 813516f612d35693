from django.conf import settings
from django.core.exceptions import ValidationError


class NotDemoPasswordValidator:
    """The demo password is public; nobody may choose it in production."""

    def validate(self, password, user=None):
        if not settings.ALLOW_DEMO_PASSWORD and password == settings.DEMO_PASSWORD:
            raise ValidationError("不能使用演示密码,请换一个密码。", code="demo_password")

    def get_help_text(self):
        return "不能使用演示密码。"
