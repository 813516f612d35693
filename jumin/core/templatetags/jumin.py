from django import template
from django.utils.safestring import mark_safe

from jumin.core.access import user_can

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """{% if request.user|can:"register.edit" %}"""
    return user_can(user, capability)


@register.filter
def status_label(spec, code: str) -> str:
    """{{ spec|status_label:event.to_status }}"""
    return spec.status_label(code) if code else ""


@register.filter
def thousands(value) -> str:
    """1234 → "1,234" (Chinese official documents group by thousands too)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


# Small line icons drawn for 居民之家 on a 24×24 grid (stroke = currentColor), inlined so they render on machines
# without an emoji font — many intranet PCs show emoji as empty boxes. Apps name one in register_tile(icon=...).
ICONS = {
    "checklist": '<path d="M4 6.5 5.5 8 8 5M4 12.5 5.5 14 8 11M4 18.5 5.5 20 8 17M11 6.5h9M11 12.5h9M11 18.5h9"/>',
    "home": '<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 9.5V20h4.5v-6h4v6h4.5V9.5"/>',
    "megaphone": '<path d="M3 10v4h3l8 5V5L6 10H3z"/><path d="M17 9.5a3.5 3.5 0 0 1 0 5M19.5 7a7 7 0 0 1 0 10"/>',
    "clipboard": '<rect x="5" y="4.5" width="14" height="16.5" rx="2"/><rect x="9" y="3" width="6" height="3" rx="1"/>'
    '<path d="M8.5 11h7M8.5 14.5h7M8.5 18h4"/>',
    "errand": '<path d="M13 3H6.5A1.5 1.5 0 0 0 5 4.5v15A1.5 1.5 0 0 0 6.5 21H13"/><path d="M8 8h5M8 12h3"/>'
    '<path d="M12 16h9M18 13l3 3-3 3"/>',
    "chat": '<path d="M3.5 5h11v7.5H8L4.5 15v-2.5h-1z"/><path d="M17.5 9h3v7.5h-1V19L16 16.5H10V15"/>',
    "dot": '<circle cx="12" cy="12" r="7"/><circle cx="12" cy="12" r="2"/>',
    "wrench": '<path d="M14.5 5.5a4 4 0 0 0 4.9 4.9l-8.9 8.9a2.1 2.1 0 0 1-3-3l8.9-8.9a4 4 0 0 1-1.9-1.9z"/>'
    '<path d="M17 3.5 15 5.5l.5 2.5 2.5.5 2-2"/>',
    "parcel": '<path d="M3.5 7.5 12 3l8.5 4.5v9L12 21l-8.5-4.5z"/><path d="M3.5 7.5 12 12l8.5-4.5M12 12v9"/>'
    '<path d="m7.5 5.3 8.5 4.5"/>',
}
_SVG = (
    '<svg class="icon" viewBox="0 0 24 24" width="{size}" height="{size}" fill="none" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">'
    "{paths}</svg>"
)


@register.simple_tag
def icon(name: str, size: int = 32):
    """{% icon "home" %} → an inline, decorative SVG. An unknown name draws a neutral mark, never a glyph box."""
    return mark_safe(_SVG.format(size=int(size), paths=ICONS.get(name, ICONS["dot"])))
