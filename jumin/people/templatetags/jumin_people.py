from django import template

from jumin.people.idcard import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value)
