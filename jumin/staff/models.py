"""Staff accounts are core.User rows; this app adds the one-time links with which a new or reset account sets its
own password (StaffInvite)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from jumin.core.models import TimeStampedModel


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class StaffInvite(TimeStampedModel):
    """A one-time link to set a password: given when an account is created or its password is reset. Only the hash
    is stored; a newer link for the same user voids the older ones (staff.services)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发放人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "设置密码链接"

    def __str__(self):
        return f"{self.user} 的设置密码链接"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)
