"""我的事项: a resident's sign-ups for volunteer shifts, with the other requests they made."""

from django.urls import reverse

from jumin.core.registry import InboxEntry

from .models import Signup, SignupStatus

OPEN = (SignupStatus.SIGNED_UP,)


def _mine(user):
    return Signup.objects.filter(volunteer__resident_id=getattr(user, "resident_id", None) or 0)


def signup_entries(user, limit: int) -> list[InboxEntry]:
    url = reverse("volunteers:me")
    rows = _mine(user).select_related("shift__activity").order_by("-created_at", "-id")[:limit]
    return [
        InboxEntry(
            when=s.created_at,
            source="志愿报名",
            title=s.shift.activity.title,
            status_label=s.get_status_display(),
            url=url,
            is_open=s.status in OPEN,
            done=s.status == SignupStatus.CONFIRMED,
        )
        for s in rows
    ]


def signup_count(user) -> int:
    return _mine(user).count()
