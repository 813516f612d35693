from django import template

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
