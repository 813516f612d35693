"""Reads of the register. Every query that depends on who asks takes a Scope (core.access)."""

import datetime
import hashlib
import re

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404

from jumin.core import dataversion
from jumin.core.access import Scope, user_can
from jumin.places.models import Building, Community, Compound, Dwelling, DwellingOwner, Grid, ServiceStation, Unit

from .idcard import mask_phone
from .models import (
    ELDERLY_AGE,
    Gender,
    Household,
    Relationship,
    Resident,
    ResidentStatus,
    ResidentTag,
    Tag,
    _years_before,
    age_on,
)

AGE_BANDS = {
    "0-17": ("0–17 岁", 0, 18),
    "18-59": ("18–59 岁", 18, 60),
    "60-79": ("60–79 岁", 60, 80),
    "80+": ("80 岁及以上", 80, None),
    "60+": ("60 岁及以上(老年人)", 60, None),
}
ELDERLY_TAG = "elderly"
# The version in the key makes a change show at once; this only bounds how long unused entries stay.
CHOICES_SECONDS = 3600
ELDERLY_TAG_NAME = "老年人"
NO_HOUSEHOLD = "没有找到该户"
# Everything the register lists and the household file show comes from these tables. The database moves the
# "register" data version on every write to them (PeopleConfig installs the triggers); both are cached under it.
REGISTER_MODELS = [
    Household,
    Resident,
    ResidentTag,
    Tag,
    Community,
    ServiceStation,
    Grid,
    Compound,
    Building,
    Unit,
    Dwelling,
    DwellingOwner,
]
# The version in the key makes a write show at once; this only bounds how long unread pages stay.
LIST_SECONDS = 600


def list_cache_key(kind: str, scope: Scope, query: str, *, id_tail: bool, today: datetime.date | None = None) -> str:
    """The cache key of one register list page (page, HTMX partial or API) as `query` (the whole query string)
    asks for it: the register's data version, the day (ages and the elderly tag move with it), the scope and
    whether the viewer may search by ID tail. What the rows show is the same for everyone with that scope."""
    today = today or datetime.date.today()
    digest = hashlib.blake2b(f"{scope!r}|{id_tail}|{query}".encode(), digest_size=16).hexdigest()
    return f"people:list:{kind}:{dataversion.current('register')}:{today.isoformat()}:{digest}"


def can_see_identity(user) -> bool:
    """Birth dates and ID-tail search only for the roles that may reveal the whole number (idcard.mask says why:
    either would narrow a masked number to a few dozen candidates)."""
    return user_can(user, "register.reveal_id")


def search_q(text: str, *, id_tail: bool = False) -> Q | None:
    """Name, pinyin initials ("zsf") or full pinyin, a whole mobile number, phone tail, and ID tail when `id_tail`
    (can_see_identity). Every branch but the name is an equality or a prefix range on an indexed column
    (Resident.Meta.indexes). The access log records no query strings (gunicorn.conf.py), so a number typed here
    never reaches it."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"1\d{10}", text):
        return Q(phone=text)
    if re.fullmatch(r"\d{3}[\dXx]", text):
        return (Q(id_tail=text.upper()) if id_tail else Q(pk__in=[])) | Q(phone_tail=text)
    if re.fullmatch(r"[A-Za-z]+", text):
        lowered = text.lower()
        return _starts_with("name_initials", lowered) | _starts_with("name_full", lowered)
    return Q(name__contains=text)


def _starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, said as a range: an index serves it on SQLite and PostgreSQL alike, where LIKE
    'x%' needs a case-insensitive collation (SQLite) or text_pattern_ops (PostgreSQL) to use one."""
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": after})


def resident_filters(
    scope: Scope,
    *,
    compound=None,
    grid=None,
    tag=None,
    age_band=None,
    q=None,
    include_moved_out=False,
    id_tail=False,
) -> Q:
    """One Q over Resident for the list filters, within the scope."""
    cond = scope.q(household="household_id")
    if not include_moved_out:
        cond &= Q(status=ResidentStatus.ACTIVE)
    if grid:
        cond &= Q(grid_id=grid)
    if compound:
        cond &= Q(household__compound_id=compound)
    today = datetime.date.today()
    if tag == ELDERLY_TAG:
        cond &= Q(birth_date__lte=_years_before(today, ELDERLY_AGE))
    elif tag:
        tagged = ResidentTag.objects.filter(community_id__in=scope.community_ids, tag__code=tag)
        cond &= Q(pk__in=tagged.values("resident_id"))
    if age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[age_band]
        cond &= Q(birth_date__lte=_years_before(today, low))
        if high is not None:
            cond &= Q(birth_date__gt=_years_before(today, high))
    extra = search_q(q, id_tail=id_tail)
    if extra is not None:
        cond &= extra
    return cond


def residents_for(scope: Scope, **filters):
    return (
        Resident.objects.filter(resident_filters(scope, **filters))
        .select_related("household__dwelling", "household__compound", "grid")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .defer("id_number")
        .order_by("household_id", "id")
    )


def households_for(scope: Scope, *, compound=None, grid=None, tag=None, age_band=None, q=None, id_tail=False):
    households = Household.objects.filter(scope.q(household="pk"))
    if compound:
        households = households.filter(compound_id=compound)
    if grid:
        households = households.filter(grid_id=grid)
    if tag or age_band or (q or "").strip():
        members = Resident.objects.filter(
            resident_filters(scope, tag=tag, age_band=age_band, q=q, compound=compound, grid=grid, id_tail=id_tail)
        )
        households = households.filter(pk__in=members.values("household_id"))
    return households.select_related("dwelling", "compound", "grid").order_by("id")


def household_rows(page) -> list[dict]:
    """What the household list shows of each household of a page (a slice of `households_for`), as dicts with their
    tags: 20–50 rows that are only printed need no model objects. Two queries; keys as in `household_row`. The
    caller counts the unsliced queryset, which joins nothing."""
    rows = list(
        page.values(
            "id",
            "uuid",
            "community_id",
            "head_name",
            "member_count",
            address=F("dwelling__address"),
            compound_name=F("compound__name"),
            grid_name=F("grid__name"),
        )
    )
    with_member_tags(rows)
    return rows


def household_row(household: Household) -> dict:
    """One household as `household_rows` gives it, from a model object (the household file, the API detail)."""
    return {
        "id": household.pk,
        "uuid": household.uuid,
        "community_id": household.community_id,
        "head_name": household.head_name,
        "member_count": household.member_count,
        "address": household.dwelling.address,
        "compound_name": household.compound.name,
        "grid_name": household.grid.name,
        "tag_names": getattr(household, "tag_names", []),
    }


def file_cache_key(household_id: int, viewer, today: datetime.date | None = None) -> str:
    """The cache key of the household file as `viewer` sees it: the register's and the timeline sources' data
    versions (core.registry.register_timeline_source), the day (ages), and the viewer (what they may see and do,
    and which entries of the timeline)."""
    today = today or datetime.date.today()
    versions = dataversion.current("register", "timeline")
    return f"people:file:{versions}:{today.isoformat()}:{household_id}:{viewer.pk}:{viewer.role}"


def household_tag_names(household_ids, today: datetime.date | None = None) -> dict[int, list[str]]:
    """Each household's tags: 老年人 when an active member is 60 or older (derived from birth dates, as on the
    resident list), then the distinct tags of active members. One query, whatever the number of households."""
    cutoff = _years_before(today or datetime.date.today(), ELDERLY_AGE)
    elderly: set[int] = set()
    names: dict[int, set[str]] = {pk: set() for pk in household_ids}
    for household_id, is_elderly, tag_name in _member_tag_rows(list(names), cutoff) if names else ():
        if is_elderly:
            elderly.add(household_id)
        if tag_name:
            names[household_id].add(tag_name)
    return {pk: ([ELDERLY_TAG_NAME] if pk in elderly else []) + sorted(tag_names) for pk, tag_names in names.items()}


def _member_tag_rows(household_ids: list[int], cutoff: datetime.date) -> list[tuple]:
    """(household id, member is elderly, tag name or None) for the active members that are elderly or tagged.
    Written in SQL, portable to SQLite and PostgreSQL: every list page and API list asks it, and building it with
    the ORM (a multi-valued join under an OR) cost 0.69 ms of CPU against 0.06 ms here (bench/cpuprofile.py)."""
    resident, link, tag = Resident._meta, ResidentTag._meta, Tag._meta
    qn = connection.ops.quote_name
    # Only quoted names from the models and placeholders go into the text; every value is a parameter.
    sql = (
        f"SELECT r.{qn(resident.get_field('household').column)}, r.{qn('birth_date')} <= %s, t.{qn('name')} "  # noqa: S608
        f"FROM {qn(resident.db_table)} r "
        f"LEFT JOIN {qn(link.db_table)} rt ON rt.{qn(link.get_field('resident').column)} = r.{qn('id')} "
        f"LEFT JOIN {qn(tag.db_table)} t ON t.{qn('id')} = rt.{qn(link.get_field('tag').column)} "
        f"WHERE r.{qn(resident.get_field('household').column)} IN ({', '.join(['%s'] * len(household_ids))}) "
        f"AND r.{qn('status')} = %s AND (r.{qn('birth_date')} <= %s OR rt.{qn('id')} IS NOT NULL)"
    )
    day = connection.ops.adapt_datefield_value(cutoff)
    return _fetch(sql, [day, *household_ids, ResidentStatus.ACTIVE.value, day])


def _resident_tag_rows(resident_ids: list[int]) -> list[tuple]:
    """(resident id, tag name) of these residents, by tag name: the resident list's tags, in SQL for the same reason
    as `_member_tag_rows` (0.62 ms through the ORM)."""
    link, tag = ResidentTag._meta, Tag._meta
    qn = connection.ops.quote_name
    resident_column = qn(link.get_field("resident").column)
    sql = (
        f"SELECT rt.{resident_column}, t.{qn('name')} FROM {qn(link.db_table)} rt "  # noqa: S608
        f"JOIN {qn(tag.db_table)} t ON t.{qn('id')} = rt.{qn(link.get_field('tag').column)} "
        f"WHERE rt.{resident_column} IN ({', '.join(['%s'] * len(resident_ids))}) ORDER BY t.{qn('name')}"
    )
    return _fetch(sql, resident_ids)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def with_member_tags(households, today: datetime.date | None = None) -> None:
    """Attach the tags of `household_tag_names` to each household of a page, as `tag_names`: to model objects and
    to the dicts of `household_rows` alike."""
    households = list(households)
    pks = [h["id"] if isinstance(h, dict) else h.pk for h in households]
    names = household_tag_names(pks, today)
    for household, pk in zip(households, pks, strict=True):
        if isinstance(household, dict):
            household["tag_names"] = names[pk]
        else:
            household.tag_names = names[pk]


def resident_rows(page, today: datetime.date | None = None) -> list[dict]:
    """What the resident list shows of each resident of a page (a slice of `residents_for`), as dicts: labels, age,
    masked phone and tags (老年人 first, as `member_tag_names`). Two queries."""
    today = today or datetime.date.today()
    rows = list(
        page.prefetch_related(None).values(
            "id",
            "name",
            "gender",
            "relationship",
            "birth_date",
            "id_masked",
            "phone",
            household_uuid=F("household__uuid"),
            address=F("household__dwelling__address"),
        )
    )
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    for resident_id, name in _resident_tag_rows(list(tags)) if tags else ():
        tags[resident_id].append(name)
    genders, relationships = dict(Gender.choices), dict(Relationship.choices)
    for row in rows:
        row["age"] = age_on(row["birth_date"], today)
        row["gender_label"] = genders.get(row["gender"], row["gender"])
        row["relationship_label"] = relationships.get(row["relationship"], row["relationship"])
        row["phone_masked"] = mask_phone(row["phone"])
        row["tag_names"] = ([ELDERLY_TAG_NAME] if row["age"] >= ELDERLY_AGE else []) + tags[row["id"]]
    return rows


def member_tag_names(member) -> list[str]:
    """A member's tags as every list shows them: 老年人 first when 60 or older, then the tags on file."""
    return ([ELDERLY_TAG_NAME] if member.is_elderly else []) + [t.name for t in member.tags.all()]


def household_get(scope: Scope, household_uuid) -> Household:
    household = (
        _household_in_scope(scope, household_uuid)
        .select_related("dwelling__unit__building", "compound", "grid__station", "community")
        .first()
    )
    if household is None:
        raise Http404(NO_HOUSEHOLD)
    return household


def household_heading(scope: Scope, household_uuid) -> dict:
    """What every request for a household file needs, cached or not: that the household is in scope (404 if not),
    its id and its address. One query with one join, where `household_get` joins five tables."""
    rows = list(_household_in_scope(scope, household_uuid).values("pk", address=F("dwelling__address"))[:1])
    if not rows:
        raise Http404(NO_HOUSEHOLD)
    return rows[0]


def _household_in_scope(scope: Scope, household_uuid):
    return Household.objects.filter(scope.q(household="pk"), uuid=household_uuid)


def household_members(household: Household, *, include_moved_out=True):
    """The members as the household file shows them: masked, so the encrypted 身份证号 is not even decrypted."""
    members = household.members.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name"))).defer(
        "id_number"
    )
    if not include_moved_out:
        members = members.filter(status=ResidentStatus.ACTIVE)
    return members.order_by("status", "id")


def resident_get(scope: Scope, resident_uuid) -> Resident:
    resident = (
        Resident.objects.filter(scope.q(household="household_id"), uuid=resident_uuid)
        .select_related("household__dwelling", "community")
        .first()
    )
    if resident is None:
        raise Http404("没有找到该居民")
    return resident


def filter_choices(scope: Scope, *, loaded=()) -> dict:
    """Compounds, grids, tags and age bands the filter bar offers, limited to the scope, as (value, label). Cached under
    the communities' places version (bumped by every change to their places or to the tags): one small query, or
    none when `loaded` (communities this request already read, such as the user's own) covers the scope."""
    known = {c.pk: c.places_version for c in loaded if c is not None and c.pk in scope.community_ids}
    if known.keys() >= set(scope.community_ids):
        versions = sorted(known.items())
    else:
        versions = (
            Community.objects.filter(pk__in=scope.community_ids).order_by("pk").values_list("pk", "places_version")
        )
    grids = "all" if scope.grid_ids is None else ",".join(map(str, scope.grid_ids))
    key = f"people:filter-choices:{','.join(f'{pk}v{version}' for pk, version in versions)}:{grids}"
    choices = cache.get(key)
    if choices is None:
        choices = _filter_choices(scope)
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


def _filter_choices(scope: Scope) -> dict:
    compounds = Compound.objects.filter(community_id__in=scope.community_ids)
    grids = Grid.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        grids = grids.filter(pk__in=scope.grid_ids)
        compounds = compounds.filter(buildings__grid_id__in=scope.grid_ids).distinct()
    tags = [(ELDERLY_TAG, "老年人(60+)"), *list(Tag.objects.values_list("code", "name"))]
    return {
        "compounds": list(compounds.values_list("id", "name")),
        "grids": list(grids.values_list("id", "name")),
        "tags": tags,
        "age_bands": [(code, label) for code, (label, _lo, _hi) in AGE_BANDS.items()],
    }


def community_summary(community: Community, today: datetime.date | None = None) -> dict:
    """Counts for one community (constant queries)."""
    return _summaries([community], today)[0]


def community_summaries(scope: Scope) -> list[dict]:
    """Counts for every community in scope, in as many queries as one community takes (the street leader's
    工作台 shows all seven)."""
    if scope.household_id is not None:
        return []
    communities = list(Community.objects.filter(pk__in=scope.community_ids).order_by("id").only("id", "name"))
    return _summaries(communities)


def _count_by_community(queryset, ids) -> dict[int, int]:
    return dict(
        queryset.filter(community_id__in=ids)
        .order_by()
        .values_list("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )


def _summaries(communities: list[Community], today: datetime.date | None = None) -> list[dict]:
    today = today or datetime.date.today()
    if not communities:
        return []
    ids = [c.pk for c in communities]
    residents = Resident.objects.filter(status=ResidentStatus.ACTIVE)
    counts = {
        "stations": _count_by_community(ServiceStation.objects.all(), ids),
        "grids": _count_by_community(Grid.objects.all(), ids),
        "compounds": _count_by_community(Compound.objects.all(), ids),
        "buildings": _count_by_community(Building.objects.all(), ids),
        "households": _count_by_community(Household.objects.filter(member_count__gt=0), ids),
        "residents": _count_by_community(residents, ids),
        "elderly": _count_by_community(residents.aged_at_least(ELDERLY_AGE, today), ids),
    }
    by_tag: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    tag_rows = (
        ResidentTag.objects.filter(community_id__in=ids, resident__status=ResidentStatus.ACTIVE)
        .order_by()
        .values_list("community_id", "tag__name")
        .annotate(n=Count("id"))
        .values_list("community_id", "tag__name", "n")
    )
    for community_id, name, n in tag_rows:
        by_tag[community_id][name] = n
    return [
        {
            "community_id": c.pk,
            "community": c.name,
            **{measure: per_community.get(c.pk, 0) for measure, per_community in counts.items()},
            "by_tag": dict(sorted(by_tag[c.pk].items())),
        }
        for c in communities
    ]
