from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .access import community_model, require, scope_for
from .errors import DomainError
from .forms import Form, PhoneLoginForm
from .holidays import calendar_covers, holiday_correct
from .models import Holiday, Role
from .params import id_param
from .registry import registry


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = PhoneLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # An elder who switched on 长辈模式 before logging in keeps it on the account.
        elder_before_login = self.request.session.get("elder_mode")
        response = super().form_valid(form)
        user = form.get_user()
        if elder_before_login and not user.elder_mode:
            user.elder_mode = True
            user.save(update_fields=["elder_mode", "updated_at"])
        return response


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    if request.user.is_office:
        return redirect("dashboards:office")
    return redirect(registry.role_homes.get(request.user.role, "core:me"))


def office_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_office:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
def me(request):
    if request.user.is_office:
        return redirect("dashboards:office")
    tiles = sorted(registry.tiles, key=lambda t: t.order)
    pending = None
    if request.user.resident_id is None:
        pending = request.user.activations.order_by("-created_at").first()
    return render(request, "core/me.html", {"tiles": tiles, "pending": pending})


@require_POST
def elder_mode_toggle(request):
    """Switch 长辈模式; remembered on the account, or in the session before login."""
    turn_on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        request.user.elder_mode = turn_on
        request.user.save(update_fields=["elder_mode", "updated_at"])
    else:
        request.session["elder_mode"] = turn_on
    messages.success(request, "已开启长辈模式" if turn_on else "已关闭长辈模式")
    return redirect(safe_next(request, reverse("core:home")))


@office_required
@require_POST
def community_switch(request):
    if request.user.role != Role.STREET_LEADER:
        raise PermissionDenied("只有街道领导可以切换社区")
    value = request.POST.get("community_id") or ""
    community = None
    if value:
        community_id = id_param(value)
        if community_id not in scope_for(request.user).community_ids:
            raise Http404
        community = community_model().objects.only("name").get(pk=community_id)
    request.session["community_id"] = community.pk if community else None
    messages.success(request, f"已切换到{community.name}" if community else "已切换到全部社区")
    return redirect(safe_next(request, reverse("dashboards:office")))


def safe_next(request, default: str) -> str:
    """Where a form asked to go back to (?next= or its hidden field), if it is this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def run_and_tell(request, action, success) -> bool:
    """Call a service; say what happened (or why not) at the top of the next page. `success` is the message, or a
    function of the service's result that makes it."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


class HolidayForm(Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    is_workday = forms.TypedChoiceField(
        label="这一天", choices=[("0", "休息(节假日)"), ("1", "上班(调休)")], coerce=lambda v: v == "1"
    )
    name = forms.CharField(label="名称(可不填)", required=False, max_length=50)


@office_required
@require("holidays.edit")
def holidays(request):
    """The calendar deadlines count on: the year's holidays and worked weekend days, each day correctable."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            holiday_correct(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, f"已更正 {data['date']:%Y年%-m月%-d日}")
            return redirect(f"{reverse('core:holidays')}?year={data['date'].year}")
    days = Holiday.objects.filter(date__year=year).order_by("date")
    context = {
        "days": days,
        "year": year,
        "form": form,
        "covered": calendar_covers(year),
        "years": [year - 1, year + 1],
    }
    return render(request, "core/holidays.html", context)
