"""Notifications: an in-app inbox row and an SMS through a pluggable backend, sent after commit."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Default backend: writes the message to the log, with the number masked."""

    def send(self, phone: str, text: str) -> None:
        from jumin.people.idcard import mask_phone

        logger.info("SMS to %s: %s", mask_phone(phone), text)


class LocmemSmsBackend:
    """Keeps messages in memory (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "jumin.cases.notify.ConsoleSmsBackend"))()


def notify(users, *, title: str, body: str = "", case=None, sms: bool = False) -> None:
    """Queue an inbox message (and optionally an SMS) for each user; nothing is sent if the transaction rolls back."""
    recipients = [u for u in users if u is not None]
    if not recipients:
        return

    def send():
        from .models import Notification

        Notification.objects.bulk_create([Notification(user=u, case=case, title=title, body=body) for u in recipients])
        notifications_changed([u.pk for u in recipients])
        if sms:
            backend = sms_backend()
            for user in recipients:
                if user.phone:
                    backend.send(user.phone, f"【居民之家】{title}")

    transaction.on_commit(send)


def notifications_changed(user_ids) -> None:
    """Messages of these users arrived or were read: their cached unread counts no longer hold."""
    get_user_model().objects.filter(pk__in=user_ids).update(notifications_version=F("notifications_version") + 1)


def notifications_read(user, notification_ids, *, now) -> None:
    """Mark these messages of `user` read, and let this request's header count again."""
    from .models import Notification

    if Notification.objects.filter(pk__in=notification_ids, user=user, read_at=None).update(read_at=now):
        notifications_changed([user.pk])
        user.notifications_version += 1
