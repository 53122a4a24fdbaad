"""Business actions of monitoring that people take (the checks themselves live in their own
modules and run from Celery)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from columns.audit import record

from .models import IndicatorKind, IndicatorRule, PatrolRecord, ScoringScheme


@transaction.atomic
def record_patrol(*, patrol: PatrolRecord, by):
    """日常巡检: the duty officer records (or completes) a site's check of the day."""
    if patrol.pk is None:
        patrol.duty_officer = by
    patrol.full_clean()
    created = patrol.pk is None
    patrol.save()
    record(
        "patrol_recorded" if created else "patrol_changed",
        actor=by,
        target=patrol,
        detail={"all_passed": patrol.all_passed},
    )
    return patrol


def _as_json(value):
    """A field's value as the operation log stores it."""
    if hasattr(value, "all"):
        return sorted(str(v) for v in value.all())
    if isinstance(value, Decimal):
        return str(value)
    return value


def check_thresholds(current, proposed):
    """An indicator's thresholds keep every name it reads, each a number not below zero."""
    if not isinstance(proposed, dict) or set(proposed) != set(current):
        raise ValidationError(
            _("Keep exactly these thresholds: %(names)s.")
            % {"names": "、".join(sorted(current)) or "—"}
        )
    for name, value in proposed.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValidationError(
                _("Threshold %(name)s must be a number not below zero.") % {"name": name}
            )


@transaction.atomic
def change_indicator_rule(*, rule_id, by, changes, request=None):
    """调整检查指标: the operator changes an indicator's points, thresholds, flag or basis;
    the change is logged with each field's old and new value."""
    rule = IndicatorRule.objects.select_for_update().get(pk=rule_id)
    if "thresholds" in changes:
        check_thresholds(rule.thresholds, changes["thresholds"])
    if rule.kind == IndicatorKind.DEDUCTION and changes.get("points", rule.points) is None:
        raise ValidationError(_("A deduction indicator needs its points."))
    return _apply(rule, changes, by=by, action="indicator_rule_changed", request=request)


@transaction.atomic
def change_scoring_scheme(*, by, changes, request=None):
    """调整评分办法: the operator changes the total, the base without service functions, the
    pass mark, the bonus mark or which sites have no service functions; logged."""
    scheme = ScoringScheme.objects.select_for_update().get()
    base = changes.get("without_services_points", scheme.without_services_points)
    if not base or base <= 0:
        raise ValidationError(_("The base without service functions must be above zero."))
    return _apply(scheme, changes, by=by, action="scoring_scheme_changed", request=request)


def _apply(obj, changes, *, by, action, request):
    detail = {}
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        before = _as_json(getattr(obj, name))
        if field.many_to_many:
            getattr(obj, name).set(value)
        else:
            setattr(obj, name, value)
        after = _as_json(getattr(obj, name))
        if before != after:
            detail[name] = {"from": before, "to": after}
    obj.full_clean()
    obj.save()
    if detail:
        record(action, actor=by, target=obj, detail=detail, request=request)
    return obj
