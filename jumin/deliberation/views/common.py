import uuid
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error


def parse_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError) as exc:
        raise Http404 from exc


def local(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def first_error(form) -> str:
    for errors in form.errors.values():
        return f"{errors[0]}"
    return "请检查填写的内容"


def run_action(request, fn, done: str, *, form=None, back: str):
    """POST step: a valid form → the service; refusals become a message; always redirect (post/redirect/get)."""
    if form is not None and not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    try:
        fn(form.cleaned_data if form is not None else None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


def post_only(view):
    return require_POST(wraps(view)(view))


def try_service(form, fn, aliases=None):
    """Call fn(); a DomainError lands on the form. Returns the result or None."""
    try:
        return fn()
    except DomainError as exc:
        add_domain_error(form, exc, aliases)
        return None
