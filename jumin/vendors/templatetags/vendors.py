from django import template

from .. import services

register = template.Library()


@register.simple_tag
def order_actions(order, viewer):
    """The steps `viewer` may take on an order, from the services' predicates (the case page's panel cannot be given
    them by a vendors view)."""
    return services.order_actions(order, viewer) if order is not None else set()


@register.simple_tag
def stars(score):
    """★★★★☆ for 4, with the number beside it so colour and glyphs are not the only signal."""
    if score is None:
        return "暂无评价"
    full = round(float(score))
    return f"{'★' * full}{'☆' * (5 - full)} {float(score):.1f} 星"


@register.simple_tag
def score_choices():
    from ..models import Score

    return Score.choices
