"""小区自治公约: versioned text; a version is adopted by a ballot of the compound's households, which supersedes the
one in force (compare-and-set, and a partial unique constraint keeps one adopted version per charter)."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.places.models import Compound

from .. import rules
from ..models import Charter, CharterStatus, CharterVersion, Electorate, Rule
from .common import clean_text

__all__ = ["charter_draft", "charter_put_to_vote", "charter_version_decided"]


def charter_draft(
    *, actor, compound: Compound, text: str, powers: str, change_note: str = "", title: str = "", now=None
) -> CharterVersion:
    if not isinstance(compound, Compound) or not rules.may_manage(actor, compound.community_id):
        raise PermissionDenied("只有社区书记可以起草公约")
    text = clean_text(text, field="text", label="公约正文", max_length=20000)
    powers = clean_text(powers, field="powers", label="授权事项", max_length=5000)
    change_note = clean_text(change_note, field="change_note", label="修改说明", max_length=200, required=False)
    with transaction.atomic():
        charter, _ = Charter.objects.get_or_create(
            compound=compound,
            defaults={"community_id": compound.community_id, "title": title or f"{compound.name}自治公约"},
        )
        if charter.versions.filter(status__in=(CharterStatus.DRAFT, CharterStatus.VOTING)).exists():
            raise Conflict("已有一份草案或表决中的版本,请先处理它")
        number = (charter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = CharterVersion.objects.create(
            community_id=compound.community_id,
            charter=charter,
            number=number,
            text=text,
            powers=powers,
            change_note=change_note,
            created_by=actor,
        )
        audit_record(actor=actor, action="charter.draft", target=version, summary=f"起草{charter.title}第{number}版")
    return version


def charter_put_to_vote(
    *,
    actor,
    version: CharterVersion,
    closes_at: datetime.datetime,
    opens_at=None,
    rule: str = Rule.MAJORITY,
    quorum="0.5",
    now=None,
):
    from .ballots import ballot_create

    if not rules.may_manage(actor, version.community_id):
        raise PermissionDenied("只有社区书记可以发起公约表决")
    if version.status != CharterStatus.DRAFT:
        raise Conflict("只有草案可以付诸表决")
    if rule not in (Rule.MAJORITY, Rule.TWO_THIRDS, Rule.CIVIL_CODE_278, Rule.CIVIL_CODE_278_MAJOR):
        raise DomainError("通过规则无效", field="rule")
    with transaction.atomic():
        if (
            CharterVersion.objects.filter(pk=version.pk, status=CharterStatus.DRAFT).update(status=CharterStatus.VOTING)
            != 1
        ):
            raise Conflict("这个版本刚被别人处理过")
        ballot = ballot_create(
            actor=actor,
            question=f"是否通过《{version.charter.title}》第{version.number}版",
            options=[],
            electorate=Electorate.HOUSEHOLD,
            compound=version.charter.compound,
            opens_at=opens_at,
            closes_at=closes_at,
            rule=rule,
            quorum=quorum,
            charter_version=version,
            now=now,
        )
        version.refresh_from_db()
    return ballot


def charter_version_decided(*, version: CharterVersion, adopted: bool, now=None) -> None:
    """Called when the ballot's result is final; inside its transaction."""
    now = now or timezone.now()
    if not adopted:
        CharterVersion.objects.filter(pk=version.pk, status=CharterStatus.VOTING).update(status=CharterStatus.REJECTED)
        audit_record(actor=None, action="charter.rejected", target=version, summary=f"公约第{version.number}版未通过")
        return
    CharterVersion.objects.filter(charter_id=version.charter_id, status=CharterStatus.ADOPTED).update(
        status=CharterStatus.SUPERSEDED
    )
    CharterVersion.objects.filter(pk=version.pk, status=CharterStatus.VOTING).update(
        status=CharterStatus.ADOPTED, adopted_at=now
    )
    audit_record(actor=None, action="charter.adopted", target=version, summary=f"公约第{version.number}版表决通过,生效")
