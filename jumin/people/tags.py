"""The standard tags for precise service. Elderly (60+) is not a tag: it is derived from the birth date."""

from jumin.places.signals import community_places_changed

from .models import Tag

DEFAULT_TAGS = [
    ("party_member", "党员"),
    ("laid_off", "下岗职工"),
    ("low_income", "低保户"),
    ("disabled", "残疾人"),
    ("veteran", "退役军人"),
    ("living_alone", "独居老人"),
    ("relocated", "棚改搬迁户"),
    ("caregiver", "家庭照护者"),
]


def ensure_default_tags() -> dict[str, Tag]:
    """Create the standard tags if missing; return them by code."""
    existing = {t.code: t for t in Tag.objects.all()}
    missing = [Tag(code=code, name=name) for code, name in DEFAULT_TAGS if code not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        community_places_changed()  # bulk_create sends no signal; the filter choices list the tags
    return {t.code: t for t in Tag.objects.all()}
