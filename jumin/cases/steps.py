"""One POST step on a case page, shared by the engine's own actions and every kind's panel: the refused rule
becomes a message (a PermissionDenied goes on to the 403 page), and the person lands back on the case page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError


def case_step(load):
    """`load(user, case_uuid)` returns the case, or the kind's row with its `.case` (404 outside the audience);
    the view gets it and returns the confirmation to show."""

    def decorator(view):
        @wraps(view)
        @login_required
        @require_POST
        def wrapped(request, case_uuid):
            row = load(request.user, case_uuid)
            case = getattr(row, "case", row)
            try:
                done = view(request, row)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if done:
                    messages.success(request, done)
            target = "cases:case-detail" if request.user.is_office else "cases:my-case"
            return redirect(target, case_uuid=case.uuid)

        return wrapped

    return decorator
