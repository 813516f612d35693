"""roster_import: the one entry point that reads, checks and (unless a dry run) writes a roster."""

from django.db import IntegrityError, transaction

from jumin.core.access import Scope, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, PermissionDenied

from .common import RosterReport
from .plan import _Plan
from .reading import _clean, _read
from .template import _known_tag_names


def roster_import(*, actor, scope: Scope, community, file, dry_run: bool) -> RosterReport:
    if not user_can(actor, "register.import"):
        raise PermissionDenied("您没有导入花名册的权限")
    if community is None or community.pk not in scope.community_ids:
        raise PermissionDenied("只能向本社区导入花名册")
    columns, raw_rows = _read(file)
    known_tags = set(_known_tag_names())
    rows = [_clean(number, values, columns, known_tags) for number, values in raw_rows]
    if dry_run:
        return _Plan(community, scope, rows).report(dry_run=True)
    try:
        with transaction.atomic():
            plan = _Plan(community, scope, rows)
            plan.write()
            report = plan.report(dry_run=False)
            audit_record(
                actor=actor,
                action="roster.import",
                target=community,
                community=community,
                summary=f"导入花名册:新增 {report.created} 人,更新 {report.updated} 人,"
                f"无变化 {report.unchanged} 人,{report.rejected_rows} 行未导入",
                changes={
                    "新增": [None, report.created],
                    "更新": [None, report.updated],
                    "无变化": [None, report.unchanged],
                    "未导入行数": [None, report.rejected_rows],
                },
            )
    except IntegrityError as exc:  # someone registered the same person while the import ran
        raise Conflict("导入期间登记信息被他人修改,请重新导入。") from exc
    return report
