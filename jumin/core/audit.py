from .models import AuditEvent


def audit_record(
    *, actor, action: str, target, summary: str, changes: dict | None = None, community=None, case=None, now=None
):
    """Write one audit event; call inside the service's transaction so it commits with the change.

    `case` is found from the target when it is a case or belongs to one (errand, opinion, dispute and its sessions
    and agreement); pass it when it cannot be."""
    if community is None and target._meta.label == "places.Community":
        community = target
    community_id = community.pk if community is not None else getattr(target, "community_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        community_id=community_id,
        case_id=case.pk if case is not None else _case_id_of(target),
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        summary=summary[:200],
        changes=changes or {},
        **({"created_at": now} if now is not None else {}),
    )


def _case_id_of(target):
    """A row says which case it is about with `audit_case_id` (a case, or a row hanging off one); else case_id."""
    if hasattr(target, "audit_case_id"):
        return target.audit_case_id
    return getattr(target, "case_id", None)


def diff_fields(instance, data: dict, fields) -> dict:
    """Return {verbose name: [old, new]} for the fields whose value changes; values are plain for JSON."""
    changes = {}
    for field in fields:
        if field not in data:
            continue
        old, new = getattr(instance, field), data[field]
        if old != new:
            model_field = instance._meta.get_field(field)
            labels = dict(model_field.flatchoices) if model_field.choices else {}
            changes[str(model_field.verbose_name)] = [_plain(labels.get(old, old)), _plain(labels.get(new, new))]
    return changes


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
