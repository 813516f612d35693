"""Who a notice reaches. One rule, two directions: the residents a notice is for (delivery, read receipts) and
the notices a resident may see (pages, API). Both are built from the same three dimensions, so they agree."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jumin.people.models import ELDERLY_AGE, Resident
from jumin.people.selectors import ELDERLY_TAG

from .models import Notice, NoticeTag

COMPOUNDS = Notice.compounds.through
GRIDS = Notice.grids.through


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def audience_residents(notice: Notice, today: datetime.date | None = None):
    """Active residents of the notice's community it is meant for."""
    today = today or timezone.localdate()
    rows = Resident.objects.active().filter(community_id=notice.community_id)
    if notice.audience_all:
        return rows
    compound_ids = list(COMPOUNDS.objects.filter(notice_id=notice.pk).values_list("compound_id", flat=True))
    grid_ids = list(GRIDS.objects.filter(notice_id=notice.pk).values_list("grid_id", flat=True))
    codes = list(NoticeTag.objects.filter(notice_id=notice.pk).values_list("code", flat=True))
    if compound_ids:
        rows = rows.filter(household__compound_id__in=compound_ids)
    if grid_ids:
        rows = rows.filter(grid_id__in=grid_ids)
    if codes:
        cond = Q(resident_tags__tag__code__in=[c for c in codes if c != ELDERLY_TAG])
        if ELDERLY_TAG in codes:
            cond |= Q(birth_date__lte=_years_before(today, ELDERLY_AGE))
        rows = rows.filter(cond).distinct()
    return rows


def resident_codes(resident, today: datetime.date | None = None) -> list[str]:
    codes = list(resident.resident_tags.values_list("tag__code", flat=True))
    if resident.age(today or timezone.localdate()) >= ELDERLY_AGE:
        codes.append(ELDERLY_TAG)
    return codes


def reaches_q(resident, today: datetime.date | None = None) -> Q:
    """Q over Notice: the notices that reach this resident."""
    pk = OuterRef("pk")
    compound_ok = ~Exists(COMPOUNDS.objects.filter(notice_id=pk)) | Exists(
        COMPOUNDS.objects.filter(notice_id=pk, compound_id=resident.household.compound_id)
    )
    grid_ok = ~Exists(GRIDS.objects.filter(notice_id=pk)) | Exists(
        GRIDS.objects.filter(notice_id=pk, grid_id=resident.grid_id)
    )
    tag_ok = ~Exists(NoticeTag.objects.filter(notice_id=pk)) | Exists(
        NoticeTag.objects.filter(notice_id=pk, code__in=resident_codes(resident, today))
    )
    return Q(community_id=resident.community_id) & (Q(audience_all=True) | (compound_ok & grid_ok & tag_ok))
