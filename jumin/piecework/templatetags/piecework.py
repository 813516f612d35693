from django import template

from ..models import yuan as to_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Fen as yuan with two decimals: 1250 → 12.50."""
    return to_yuan(fen)
