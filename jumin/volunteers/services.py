"""Writes for 志愿服务: applications, activities and shifts, sign-ups, check-in and check-out, confirmed hours,
and the points ledger. Places are counted with conditional updates and points move with conditional updates
on the balance, so neither can be overrun by people acting at the same moment (SQLite or PostgreSQL)."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.people.models import ResidentStatus

from . import rules
from .models import (
    AccountKind,
    Activity,
    ActivityStatus,
    Origin,
    PointsAccount,
    PointsEntry,
    PointsRule,
    PointsTransfer,
    Shift,
    Signup,
    SignupChannel,
    SignupStatus,
    Volunteer,
    VolunteerStatus,
)

PARTY_TAG = "party_member"
MAX_SHIFTS = 20
MAX_SLOTS = 500
MAX_SHIFT_HOURS = 12
MAX_SPEND = 100_000
DEFAULT_POINTS_PER_HOUR = 10


def _text(value, *, limit: int, field: str, label: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字", field=field)
    return value


def _require_manager(actor, community_id) -> None:
    if not (rules.can_manage(actor) and rules.in_community(actor, community_id)):
        raise PermissionDenied("您没有权限管理本社区的志愿服务")


# ---- volunteers -------------------------------------------------------------------------------------------------


def volunteer_apply(
    *, actor, resident=None, skills: str = "", availability: str = "", is_dual_report: bool = False, now=None
):
    """A resident bound to an active register entry applies to be a volunteer (or staff register one who came to
    the desk, `resident=`); one record per resident (a refused applicant may apply again, which puts the same
    record back to 待审核)."""
    now = now or timezone.now()
    if resident is None:
        resident = actor.resident if getattr(actor, "resident_id", None) else None
        if resident is None or resident.status != ResidentStatus.ACTIVE:
            raise PermissionDenied("请先激活居民账号,再申请成为志愿者")
    else:
        _require_manager(actor, resident.community_id)
        if resident.status != ResidentStatus.ACTIVE:
            raise DomainError("该居民已不在册,不能登记为志愿者", field="resident")
    skills = _text(skills, limit=200, field="skills", label="特长")
    availability = _text(availability, limit=200, field="availability", label="可服务时间")
    is_party = resident.resident_tags.filter(tag__code=PARTY_TAG).exists()
    fields = {
        "skills": skills,
        "availability": availability,
        "is_dual_report": bool(is_dual_report),
        "is_party_member": is_party,
    }
    with transaction.atomic():
        again = Volunteer.objects.filter(resident=resident, status=VolunteerStatus.REJECTED).update(
            status=VolunteerStatus.PENDING, reason="", decided_by=None, decided_at=None, updated_at=now, **fields
        )
        if again:
            volunteer = Volunteer.objects.get(resident=resident)
        else:
            try:
                with transaction.atomic():
                    volunteer = Volunteer.objects.create(
                        community_id=resident.community_id, resident=resident, **fields
                    )
            except IntegrityError as exc:
                raise Conflict("您已经提交过志愿者申请") from exc
        audit_record(actor=actor, action="volunteer.apply", target=volunteer, summary=f"{resident.name} 申请成为志愿者")
    return volunteer


def volunteer_decide(*, actor, volunteer: Volunteer, approve: bool, reason: str = "", now=None) -> Volunteer:
    """Staff approve or refuse a pending application (compare-and-set: two staff deciding at once, one wins).
    Approval opens the volunteer's points account."""
    now = now or timezone.now()
    _require_manager(actor, volunteer.community_id)
    reason = _text(reason, limit=200, field="reason", label="原因", required=not approve)
    new = VolunteerStatus.APPROVED if approve else VolunteerStatus.REJECTED
    with transaction.atomic():
        changed = Volunteer.objects.filter(pk=volunteer.pk, status=VolunteerStatus.PENDING).update(
            status=new, decided_by=actor, decided_at=now, reason=reason, updated_at=now
        )
        if not changed:
            raise Conflict("该申请已被处理,请刷新页面")
        if approve:
            PointsAccount.objects.get_or_create(
                volunteer=volunteer, defaults={"community_id": volunteer.community_id, "kind": AccountKind.VOLUNTEER}
            )
        audit_record(
            actor=actor,
            action="volunteer.decide",
            target=volunteer,
            summary=f"志愿者申请 {volunteer.resident.name}:{new.label}",
            changes={"状态": [VolunteerStatus.PENDING.label, new.label]},
        )
        user = getattr(volunteer.resident, "user", None)
        if approve:
            notify([user], title="您已成为社区志愿者", body="可以在“志愿服务”里报名参加活动了。")
        else:
            notify([user], title="志愿者申请未通过", body=reason)
    volunteer.refresh_from_db()
    return volunteer


# ---- activities and shifts ------------------------------------------------------------------------------------


def _clean_shift(data: dict, index: int, now) -> dict:
    field = f"shifts.{index}"
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime.datetime) or not isinstance(ends, datetime.datetime):
        raise DomainError(f"第 {index + 1} 个班次:请填写开始和结束时间", field=field)
    if timezone.is_naive(starts):
        starts = timezone.make_aware(starts)
    if timezone.is_naive(ends):
        ends = timezone.make_aware(ends)
    if ends <= starts:
        raise DomainError(f"第 {index + 1} 个班次:结束时间应晚于开始时间", field=field)
    if ends - starts > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise DomainError(f"第 {index + 1} 个班次:一个班次不能超过 {MAX_SHIFT_HOURS} 小时", field=field)
    if starts <= now:
        raise DomainError(f"第 {index + 1} 个班次:开始时间应在现在之后", field=field)
    slots = data.get("slots")
    if isinstance(slots, bool) or not isinstance(slots, int) or not 1 <= slots <= MAX_SLOTS:
        raise DomainError(f"第 {index + 1} 个班次:名额应为 1–{MAX_SLOTS} 的整数", field=field)
    return {
        "starts_at": starts,
        "ends_at": ends,
        "slots": slots,
        "place": _text(data.get("place"), limit=100, field=field, label="集合地点"),
        "skills_wanted": _text(data.get("skills_wanted"), limit=100, field=field, label="所需特长"),
    }


def activity_create(
    *, actor, community, title: str, place: str, shifts: list[dict], description: str = "", now=None
) -> Activity:
    """Staff publish an activity with one or more shifts (time, place, slots, skills wanted)."""
    now = now or timezone.now()
    _require_manager(actor, community.pk)
    title = _text(title, limit=100, field="title", label="活动名称", required=True)
    place = _text(place, limit=100, field="place", label="地点", required=True)
    description = _text(description, limit=2000, field="description", label="活动内容")
    if not shifts:
        raise DomainError("请至少安排一个班次", field="shifts")
    if len(shifts) > MAX_SHIFTS:
        raise DomainError(f"一个活动最多 {MAX_SHIFTS} 个班次", field="shifts")
    cleaned = [_clean_shift(s, i, now) for i, s in enumerate(shifts)]
    with transaction.atomic():
        activity = Activity.objects.create(
            community=community,
            title=title,
            place=place,
            description=description,
            organiser=actor,
            starts_at=min(s["starts_at"] for s in cleaned),
        )
        Shift.objects.bulk_create(
            [
                Shift(community=community, activity=activity, check_in_code=secrets.token_urlsafe(12), **s)
                for s in cleaned
            ]
        )
        audit_record(
            actor=actor,
            action="activity.create",
            target=activity,
            summary=f"发布志愿活动“{title}”,{len(cleaned)} 个班次,共 {sum(s['slots'] for s in cleaned)} 个名额",
        )
    return activity


# ---- sign-ups -------------------------------------------------------------------------------------------------


def signup_create(*, actor, shift: Shift, volunteer: Volunteer | None = None, now=None) -> Signup:
    """A volunteer signs up for a shift, or staff sign up a volunteer who phoned in. The place is taken by a
    conditional update (taken < slots), one live sign-up per volunteer and shift by a unique constraint."""
    now = now or timezone.now()
    if volunteer is None:
        volunteer = Volunteer.objects.filter(resident_id=getattr(actor, "resident_id", None) or 0).first()
        if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
            raise PermissionDenied("您还不是本社区审核通过的志愿者")
        channel = SignupChannel.SELF
    else:
        if volunteer.resident_id != getattr(actor, "resident_id", None):
            _require_manager(actor, shift.community_id)
        channel = SignupChannel.SELF if volunteer.resident_id == actor.resident_id else SignupChannel.STAFF
        if volunteer.status != VolunteerStatus.APPROVED:
            raise DomainError("该志愿者还没有通过审核", field="volunteer")
    if volunteer.community_id != shift.community_id:
        raise DomainError("只能报名本社区的志愿活动", field="volunteer")
    if not rules.shift_is_open(shift, now):
        raise DomainError("该班次已开始或活动已取消,不能再报名")
    with transaction.atomic():
        taken = Shift.objects.filter(pk=shift.pk, taken__lt=F("slots")).update(taken=F("taken") + 1)
        if not taken:
            raise Conflict("该班次名额已满")
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    community_id=shift.community_id,
                    shift=shift,
                    volunteer=volunteer,
                    channel=channel,
                    signed_up_by=actor,
                )
        except IntegrityError as exc:
            raise Conflict("已经报名了这个班次") from exc
        audit_record(
            actor=actor,
            action="signup.create",
            target=signup,
            summary=f"{volunteer.resident.name} 报名“{shift.activity.title}”{when_label(shift.starts_at)}班次",
            changes={"报名方式": signup.get_channel_display()},
        )
        if channel == SignupChannel.STAFF:
            notify(
                [getattr(volunteer.resident, "user", None)],
                title=f"社区已为您报名:{shift.activity.title}",
                body=f"{when_label(shift.starts_at)},{shift.place or shift.activity.place}",
            )
    return signup


def when_label(value) -> str:
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def signup_withdraw(*, actor, signup: Signup, now=None) -> Signup:
    """Withdraw before the shift starts and before check-in; frees exactly one place."""
    now = now or timezone.now()
    if not rules.signup_can_withdraw(signup, actor, now):
        if signup.status != SignupStatus.SIGNED_UP or signup.checked_in_at is not None:
            raise Conflict("该报名已签到或已取消,不能再取消")
        raise DomainError("班次已开始,不能取消报名")
    with transaction.atomic():
        changed = Signup.objects.filter(pk=signup.pk, status=SignupStatus.SIGNED_UP, checked_in_at__isnull=True).update(
            status=SignupStatus.WITHDRAWN, withdrawn_at=now, updated_at=now
        )
        if not changed:
            raise Conflict("该报名已签到或已取消,不能再取消")
        Shift.objects.filter(pk=signup.shift_id, taken__gt=0).update(taken=F("taken") - 1)
        audit_record(
            actor=actor,
            action="signup.withdraw",
            target=signup,
            summary=f"{signup.volunteer.resident.name} 取消报名“{signup.shift.activity.title}”",
            changes={"状态": [SignupStatus.SIGNED_UP.label, SignupStatus.WITHDRAWN.label]},
        )
    _reload(signup)
    return signup


# What the sign-up services change. A sign-up's shift and volunteer never change, so reloading only these keeps the
# rows the caller loaded with it (select_related) instead of fetching shift, activity, volunteer and resident again.
_CHANGING = (
    "status",
    "withdrawn_at",
    "checked_in_at",
    "checked_out_at",
    "checked_in_by",
    "minutes",
    "confirmed_by",
    "confirmed_at",
    "updated_at",
)


def _reload(signup: Signup) -> None:
    signup.refresh_from_db(fields=_CHANGING)


def _check(actor, signup: Signup, *, out: bool, now, by_code: bool = False) -> Signup:
    label = "签退" if out else "签到"
    base = Signup.objects.filter(pk=signup.pk, status=SignupStatus.SIGNED_UP)
    if out:
        changed = base.filter(checked_in_at__isnull=False, checked_out_at__isnull=True).update(
            checked_out_at=now, updated_at=now
        )
    else:
        changed = base.filter(checked_in_at__isnull=True).update(checked_in_at=now, checked_in_by=actor, updated_at=now)
    if not changed:
        raise Conflict(f"该志愿者已{label}或报名状态已变化,请刷新页面")
    audit_record(
        actor=actor,
        action="signup.check_out" if out else "signup.check_in",
        target=signup,
        summary=f"{signup.volunteer.resident.name} {label}“{signup.shift.activity.title}”"
        + ("(扫码)" if by_code else ""),
    )
    _reload(signup)
    return signup


def signup_check_in(*, actor, signup: Signup, now=None) -> Signup:
    if not rules.signup_can_check_in(signup, actor):
        _require_manager(actor, signup.community_id)
        raise Conflict("该志愿者已签到或报名状态已变化,请刷新页面")
    with transaction.atomic():
        return _check(actor, signup, out=False, now=now or timezone.now())


def signup_check_out(*, actor, signup: Signup, now=None) -> Signup:
    if not rules.signup_can_check_out(signup, actor):
        _require_manager(actor, signup.community_id)
        raise Conflict("该志愿者还没有签到或已经签退")
    with transaction.atomic():
        return _check(actor, signup, out=True, now=now or timezone.now())


def shift_scan(*, actor, shift: Shift, code: str, now=None) -> Signup:
    """The volunteer scans the QR shown at the venue: the first scan checks in, the second checks out."""
    now = now or timezone.now()
    if not secrets.compare_digest(str(code or ""), shift.check_in_code):
        raise DomainError("签到码无效,请扫描活动现场的二维码")
    signup = (
        Signup.objects.select_related("shift__activity", "volunteer__resident")
        .filter(shift=shift, volunteer__resident_id=getattr(actor, "resident_id", None) or 0)
        .filter(status=SignupStatus.SIGNED_UP)
        .first()
    )
    if signup is None:
        raise DomainError("您没有报名这个班次,请先报名或联系现场工作人员")
    if not rules.self_check_in_window(shift, now):
        raise DomainError("不在签到时间内:班次开始前 1 小时至结束后 2 小时可扫码签到、签退")
    if signup.checked_out_at is not None:
        raise Conflict("您已经签退了,时长由组织人确认后计入")
    with transaction.atomic():
        return _check(actor, signup, out=signup.checked_in_at is not None, now=now, by_code=True)


def _default_minutes(signup: Signup) -> int:
    shift = signup.shift
    if signup.checked_in_at and signup.checked_out_at:
        start = max(signup.checked_in_at, shift.starts_at)
        end = min(signup.checked_out_at, shift.ends_at)
        return max(int((end - start).total_seconds() // 60), 0)
    return shift.minutes


def points_per_hour(community_id) -> int:
    rule = PointsRule.objects.filter(community_id=community_id).first()
    return rule.points_per_hour if rule else DEFAULT_POINTS_PER_HOUR


def signup_confirm(*, actor, signup: Signup, minutes: int | None = None, now=None) -> Signup:
    """The organiser confirms how long a checked-in volunteer served; the community's rule turns the hours into
    points, booked once per record (the transfer is one-to-one with the sign-up)."""
    now = now or timezone.now()
    if not rules.signup_can_confirm(signup, actor):
        _require_manager(actor, signup.community_id)
        raise Conflict("只能为已签到、尚未确认的志愿者确认时长")
    if minutes is None:
        minutes = _default_minutes(signup)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_SHIFT_HOURS * 60:
        raise DomainError(f"时长应为 1–{MAX_SHIFT_HOURS * 60} 分钟", field="minutes")
    with transaction.atomic():
        changed = Signup.objects.filter(
            pk=signup.pk, status=SignupStatus.SIGNED_UP, checked_in_at__isnull=False
        ).update(status=SignupStatus.CONFIRMED, minutes=minutes, confirmed_by=actor, confirmed_at=now, updated_at=now)
        if not changed:
            raise Conflict("该记录已确认或状态已变化,请刷新页面")
        _reload(signup)
        points = minutes * points_per_hour(signup.community_id) // 60
        title = signup.shift.activity.title
        if points:
            _transfer(
                community_id=signup.community_id,
                origin=Origin.HOURS,
                amount=points,
                source=system_account(signup.community_id, AccountKind.ISSUED),
                target=volunteer_account(signup.volunteer),
                memo=f"“{title}”服务 {signup.hours:g} 小时",
                actor=actor,
                signup=signup,
                now=now,
            )
        audit_record(
            actor=actor,
            action="signup.confirm",
            target=signup,
            summary=f"确认 {signup.volunteer.resident.name} 在“{title}”服务 {signup.hours:g} 小时,积分 {points}",
            changes={"时长(分钟)": [0, minutes]},
        )
        notify(
            [getattr(signup.volunteer.resident, "user", None)],
            title=f"志愿服务时长已确认:{signup.hours:g} 小时",
            body=f"“{title}”,获得 {points} 积分。",
        )
    return signup


def signup_mark_absent(*, actor, signup: Signup, now=None) -> Signup:
    """The shift has begun and the volunteer never came: the place stays taken (it is too late to fill it)."""
    now = now or timezone.now()
    if not rules.signup_can_mark_absent(signup, actor, now):
        _require_manager(actor, signup.community_id)
        raise Conflict("只能把班次开始后仍未签到的报名记为未到")
    with transaction.atomic():
        changed = Signup.objects.filter(pk=signup.pk, status=SignupStatus.SIGNED_UP, checked_in_at__isnull=True).update(
            status=SignupStatus.ABSENT, updated_at=now
        )
        if not changed:
            raise Conflict("该报名状态已变化,请刷新页面")
        audit_record(
            actor=actor, action="signup.absent", target=signup, summary=f"{signup.volunteer.resident.name} 未到"
        )
    _reload(signup)
    return signup


# ---- points -----------------------------------------------------------------------------------------------------


def system_account(community_id, kind: str) -> PointsAccount:
    account = PointsAccount.objects.filter(community_id=community_id, kind=kind).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return PointsAccount.objects.create(community_id=community_id, kind=kind)
    except IntegrityError:
        return PointsAccount.objects.get(community_id=community_id, kind=kind)


def volunteer_account(volunteer: Volunteer) -> PointsAccount:
    account, _ = PointsAccount.objects.get_or_create(
        volunteer=volunteer, defaults={"community_id": volunteer.community_id, "kind": AccountKind.VOLUNTEER}
    )
    return account


def _transfer(*, community_id, origin, amount: int, source, target, memo: str, actor, now, signup=None):
    """Move `amount` points from `source` to `target`: two entries summing to zero, balances by conditional update
    (a volunteer's account is debited only while it holds enough), rows touched in pk order."""
    transfer = PointsTransfer.objects.create(
        community_id=community_id, origin=origin, signup=signup, memo=memo[:200], amount=amount, actor=actor
    )
    sides = sorted([(source, -amount), (target, amount)], key=lambda side: side[0].pk)
    entries = []
    for account, delta in sides:
        rows = PointsAccount.objects.filter(pk=account.pk)
        if delta < 0 and account.kind == AccountKind.VOLUNTEER:
            rows = rows.filter(balance__gte=-delta)
        if not rows.update(balance=F("balance") + delta, updated_at=now):
            raise Conflict("积分余额不足", field="amount")
        balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
        entries.append(
            PointsEntry(created_at=now, transfer=transfer, account=account, amount=delta, balance_after=balance)
        )
    PointsEntry.objects.bulk_create(entries)
    return transfer


def points_spend(*, actor, volunteer: Volunteer, amount: int, memo: str, now=None) -> PointsTransfer:
    """Staff book points a volunteer spends on what the community offers (a discount at the charity shelf …).
    Refused, with nothing written, when the balance would go below zero — even when two spends race."""
    now = now or timezone.now()
    _require_manager(actor, volunteer.community_id)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_SPEND:
        raise DomainError(f"积分应为 1–{MAX_SPEND:,} 的整数", field="amount")
    memo = _text(memo, limit=200, field="memo", label="兑换内容", required=True)
    if volunteer.status != VolunteerStatus.APPROVED:
        raise DomainError("该志愿者不在册,不能兑换积分")
    with transaction.atomic():
        transfer = _transfer(
            community_id=volunteer.community_id,
            origin=Origin.SPEND,
            amount=amount,
            source=volunteer_account(volunteer),
            target=system_account(volunteer.community_id, AccountKind.REDEEMED),
            memo=memo,
            actor=actor,
            now=now,
        )
        audit_record(
            actor=actor,
            action="points.spend",
            target=transfer,
            summary=f"{volunteer.resident.name} 兑换 {amount} 积分:{memo}",
        )
        notify([getattr(volunteer.resident, "user", None)], title=f"积分兑换 {amount} 分", body=memo)
    return transfer


def points_rule_set(*, actor, community, points_per_hour: int) -> PointsRule:
    if not rules.can_set_rule(actor) or not rules.in_community(actor, community.pk):
        raise PermissionDenied("只有社区书记可以设置积分规则")
    if isinstance(points_per_hour, bool) or not isinstance(points_per_hour, int) or not 0 <= points_per_hour <= 1000:
        raise DomainError("每小时积分应为 0–1000 的整数", field="points_per_hour")
    with transaction.atomic():
        rule, _ = PointsRule.objects.get_or_create(community=community)
        old = rule.points_per_hour
        rule.points_per_hour = points_per_hour
        rule.updated_by = actor
        rule.save(update_fields=["points_per_hour", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="points.rule",
            target=rule,
            summary=f"积分规则改为每小时 {points_per_hour} 分",
            changes={"每小时积分": [old, points_per_hour]},
        )
    return rule


def activity_cancel(*, actor, activity: Activity, now=None) -> Activity:
    """Cancel an activity that has not started; everyone signed up is told."""
    now = now or timezone.now()
    _require_manager(actor, activity.community_id)
    if activity.starts_at <= now:
        raise DomainError("活动已开始,不能取消")
    with transaction.atomic():
        if not Activity.objects.filter(pk=activity.pk, status=ActivityStatus.OPEN).update(
            status=ActivityStatus.CANCELLED, updated_at=now
        ):
            raise Conflict("该活动已取消")
        users = [
            s.volunteer.resident.user
            for s in Signup.objects.filter(shift__activity=activity, status=SignupStatus.SIGNED_UP).select_related(
                "volunteer__resident__user"
            )
            if hasattr(s.volunteer.resident, "user")
        ]
        audit_record(actor=actor, action="activity.cancel", target=activity, summary=f"取消志愿活动“{activity.title}”")
        notify(users, title=f"志愿活动已取消:{activity.title}", body="感谢您的报名,请留意社区的其他活动。")
    activity.refresh_from_db()
    return activity
