from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .access import community_model, selected_community_id, user_can
from .models import Role
from .registry import PILLARS, registry


def shell(request):
    """Sidebar sections, community switcher and elder mode for the base templates."""
    user = request.user
    elder = bool(getattr(user, "elder_mode", False)) if user.is_authenticated else request.session.get("elder_mode")
    context = {"elder_mode": bool(elder)}
    for contribute in registry.shell_context:
        context.update(contribute(request))
    if not user.is_authenticated or not user.is_office:
        return context
    context["sidebar"] = sidebar_html(user, request.path)
    if user.role == Role.STREET_LEADER:
        context["switch_communities"] = list(
            community_model().objects.filter(street_id=user.street_id).only("id", "name")
        )
        context["selected_community_id"] = selected_community_id(request)
    return context


# The sidebar of each role, built once per process: it depends on the role and on what apps registered, which
# only grows (apps register at startup), so the registry's sizes are its version.
_NAV_BY_ROLE: dict[tuple, list[dict]] = {}


def _nav_key(user) -> tuple:
    return (user.role, len(registry.nav), len(registry.capabilities))


def nav_sections(user) -> list[dict]:
    key = _nav_key(user)
    sections = _NAV_BY_ROLE.get(key)
    if sections is None:
        sections = _NAV_BY_ROLE[key] = _build_nav(user)
    return sections


_SIDEBAR_BY_ROLE: dict[tuple, str] = {}


def sidebar_html(user, path: str) -> str:
    """The sidebar's HTML, rendered once per role like `nav_sections`; the link to this page marked per request by
    a string replacement (a template loop over every entry was a tenth of a list page's CPU)."""
    key = _nav_key(user)
    html = _SIDEBAR_BY_ROLE.get(key)
    if html is None:
        html = _SIDEBAR_BY_ROLE[key] = render_to_string("partials/sidebar.html", {"nav_sections": nav_sections(user)})
    link = f'href="{path}"'
    return mark_safe(html.replace(link, f'{link} aria-current="page"', 1))


def _build_nav(user) -> list[dict]:
    sections = []
    for code, label in PILLARS:
        items = sorted(
            (i for i in registry.nav if i.pillar == code and user_can(user, i.capability)), key=lambda i: i.order
        )
        sections.append(
            {
                "code": code,
                "label": label,
                "items": [{"label": i.label, "url": reverse(i.url_name), "url_name": i.url_name} for i in items],
            }
        )
    return sections
