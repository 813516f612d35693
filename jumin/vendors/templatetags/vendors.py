from django import template

register = template.Library()


@register.simple_tag
def stars(score):
    """★★★★☆ for 4, with the number beside it so colour and glyphs are not the only signal."""
    if score is None:
        return "暂无评价"
    full = round(float(score))
    return f"{'★' * full}{'☆' * (5 - full)} {float(score):.1f} 星"
