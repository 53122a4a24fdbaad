"""Business actions of inspection: each one transaction, checks who may act, fires the
workflow, records the operation log and notifies the people concerned."""

import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url, changelist_url
from columns.audit import record
from columns.models import Site, Unit
from columns.notifications import notify
from columns.selectors import liaisons_of

from . import reports, sampling, scoring, selectors, workflow
from .models import (
    MIN_SAMPLE_RATIO,
    AnnualReport,
    MonthlyScore,
    MonthlyScoreItem,
    ProblemCategory,
    ProblemStatus,
    ReportKind,
    ReportStatus,
    ScoreMethod,
    ScoreMonth,
    ScoreRuleSet,
    ScoreStatus,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
    SpotCheckSample,
    SupervisionStatus,
)
from .workflow import confirm_deadline, is_inspector, self_score_deadline


def _require_inspector(user):
    if not is_inspector(user):
        raise PermissionDenied(_("Only an inspector may do this."))


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _future_deadline(deadline):
    if deadline is None:
        raise ValidationError(_("Give a rectification deadline."))
    if deadline <= timezone.localdate():
        raise ValidationError(
            _("The rectification deadline %(date)s is not in the future; give a later date.")
            % {"date": deadline.isoformat()}
        )
    return deadline


# --- spot checks (抽查) -----------------------------------------------------------------------


@transaction.atomic
def open_campaign(*, title, year, quarter, opened_by, ratio=MIN_SAMPLE_RATIO, seed=None):
    """开展抽查: draw at least 30% of the units at random and record the draw with its seed."""
    _require_inspector(opened_by)
    title = _text(title, _("Give the campaign a title."))
    try:
        ratio = Decimal(str(ratio))
    except InvalidOperation as exc:
        raise ValidationError(_("The sample ratio must be a number.")) from exc
    if not Decimal(str(MIN_SAMPLE_RATIO)) <= ratio <= 1:
        raise ValidationError(
            _("The sample ratio must be between 0.30 and 1: at least three in ten units are drawn.")
        )
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("The quarter must be 1, 2, 3 or 4."))
    population = list(selectors.inspected_units().values_list("pk", flat=True))
    if not population:
        raise ValidationError(_("No unit owns a column yet; there is nobody to sample."))
    seed = secrets.randbits(48) if seed is None else int(seed)
    campaign = SpotCheckCampaign(
        title=title,
        year=year,
        quarter=quarter,
        sample_ratio=ratio,
        seed=seed,
        population=sorted(population),
        opened_by=opened_by,
    )
    campaign.full_clean()
    campaign.save()
    drawn = sampling.draw(population, seed, ratio)
    SpotCheckSample.objects.bulk_create(
        SpotCheckSample(campaign=campaign, unit_id=unit_id) for unit_id in drawn
    )
    record(
        "spot_check_opened",
        actor=opened_by,
        target=campaign,
        detail={"seed": seed, "ratio": str(ratio), "population": population, "drawn": drawn},
    )
    for unit in Unit.objects.filter(pk__in=drawn):
        notify(
            liaisons_of(unit),
            kind="spot_check",
            title=_("Your unit was drawn for the spot check “%(title)s”") % {"title": title},
            key=f"spot-check:{campaign.pk}:drawn:{unit.pk}",
        )
    return campaign


def _campaign_row(campaign):
    return SpotCheckCampaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def record_problem(
    *,
    campaign,
    unit,
    category,
    description,
    deadline,
    recorded_by,
    evidence_url="",
    screenshot=None,
    finding="",
):
    """记录问题: a problem found in a sampled unit, with evidence and a deadline (限期整改)."""
    campaign = _campaign_row(campaign)
    workflow.require_action(campaign, recorded_by, "problem")
    if unit is None or not campaign.samples.filter(unit=unit).exists():
        raise ValidationError(_("Problems can only be recorded for a unit drawn in this campaign."))
    if category not in ProblemCategory.values:
        raise ValidationError(_("Choose the problem's category."))
    problem = SpotCheckProblem(
        campaign=campaign,
        unit=unit,
        category=category,
        description=_text(description, _("Describe the problem.")),
        deadline=_future_deadline(deadline),
        evidence_url=(evidence_url or "").strip(),
        screenshot=screenshot or "",
        finding=finding or "",
        recorded_by=recorded_by,
    )
    problem.full_clean()
    problem.save()
    record("spot_check_problem", actor=recorded_by, target=problem, detail={"unit": unit.pk})
    notify(
        liaisons_of(unit),
        kind="rectification",
        title=_("Rectify by %(date)s: %(problem)s")
        % {"date": problem.deadline.isoformat(), "problem": problem.get_category_display()},
        body=problem.description,
        url=change_url(problem),
        key=f"problem:{problem.pk}:recorded",
    )
    return problem


def _problem_row(problem, by, action):
    """The problem's row, locked with its campaign's (which closing settles), if by may take
    action on it."""
    problem = SpotCheckProblem.objects.select_for_update().get(pk=problem.pk)
    problem.campaign = _campaign_row(problem.campaign)
    workflow.require_action(problem, by, action)
    return problem


@transaction.atomic
def answer_problem(*, problem, response, by):
    """整改反馈: the unit says what it did about the problem."""
    problem = _problem_row(problem, by, "answer")
    response = _text(response, _("Say what your unit did to rectify the problem."))
    workflow.fire(problem, "answer")
    problem.response = response
    problem.responded_by = by
    problem.responded_at = timezone.now()
    problem.save(update_fields=["status", "response", "responded_by", "responded_at"])
    record("rectification_reported", actor=by, target=problem)
    notify(
        [problem.recorded_by],
        kind="rectification",
        title=_("Rectification reported by %(unit)s") % {"unit": problem.unit},
        body=response,
        url=change_url(problem),
        key=f"problem:{problem.pk}:answered:{problem.responded_at.isoformat()}",
    )
    return problem


@transaction.atomic
def verify_problem(*, problem, by, accept, comment="", deadline=None):
    """核查: the inspector accepts the rectification, or sends it back with a reason (and, if
    the old one has passed, a new deadline)."""
    problem = _problem_row(problem, by, "verify" if accept else "send_back")
    comment = (comment or "").strip()
    if accept:
        workflow.fire(problem, "verify")
        problem.verified_by = by
        problem.verified_at = timezone.now()
    else:
        comment = _text(comment, _("Say why the rectification is sent back."))
        workflow.fire(problem, "send_back")
        if deadline is not None:
            problem.deadline = _future_deadline(deadline)
    problem.verification_comment = comment
    problem.save()
    record(
        "rectification_verified" if accept else "rectification_sent_back",
        actor=by,
        target=problem,
        detail={"comment": comment},
    )
    if not accept:
        notify(
            liaisons_of(problem.unit),
            kind="rectification",
            title=_("Rectification sent back: %(problem)s") % {"problem": problem},
            body=comment,
            url=change_url(problem),
            key=f"problem:{problem.pk}:returned:{timezone.now().isoformat()}",
        )
    return problem


@transaction.atomic
def close_campaign(*, campaign, by):
    """结束抽查: settle which sampled units rectified in time and flag repeat failures.

    A unit failed to rectify when one of its problems is not verified at closing. Closing
    waits until every unverified problem's deadline has passed and no report awaits checking.
    """
    campaign = _campaign_row(campaign)
    workflow.require_action(campaign, by, "close")
    problems = list(campaign.problems.all())
    failed = {p.unit_id for p in problems if p.status != ProblemStatus.VERIFIED}
    for sample in campaign.samples.all():
        sample.rectified = sample.unit_id not in failed
        sample.save(update_fields=["rectified"])
    workflow.fire(campaign, "close")
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    flagged = _flag_repeat_failures(campaign, failed)
    record(
        "spot_check_closed",
        actor=by,
        target=campaign,
        detail={"failed": sorted(failed), "supervised": [s.unit_id for s in flagged]},
    )
    return campaign


def _flag_repeat_failures(campaign, failed):
    """专项督办 [Q§22]: a unit that also failed in the campaign before this one."""
    previous = selectors.previous_campaign(campaign)
    if previous is None or not failed:
        return []
    repeat = previous.samples.filter(unit_id__in=failed, rectified=False).values_list(
        "unit_id", flat=True
    )
    flagged = []
    for unit in Unit.objects.filter(pk__in=repeat):
        if (
            SpecialSupervision.objects.filter(unit=unit)
            .exclude(status=SupervisionStatus.CLEARED)
            .exists()
        ):
            continue
        supervision = SpecialSupervision.objects.create(
            unit=unit, campaign=campaign, previous_campaign=previous
        )
        flagged.append(supervision)
        notify(
            liaisons_of(unit),
            kind="special_supervision",
            title=_("Special supervision: upload your unit's written self-examination"),
            body=_(
                "%(unit)s failed to rectify in two consecutive spot checks (%(previous)s, "
                "%(campaign)s)."
            )
            % {"unit": unit, "previous": previous, "campaign": campaign},
            url=change_url(supervision),
            key=f"supervision:{supervision.pk}:opened",
        )
    return flagged


@transaction.atomic
def publish_campaign(*, campaign, by, summary=""):
    """公布抽查结果 on the portal."""
    campaign = _campaign_row(campaign)
    workflow.require_action(campaign, by, "publish")
    workflow.fire(campaign, "publish")
    campaign.published_at = timezone.now()
    campaign.summary = (summary or "").strip() or campaign.summary
    campaign.save(update_fields=["status", "published_at", "summary"])
    record("spot_check_published", actor=by, target=campaign)
    return campaign


@transaction.atomic
def submit_self_examination(*, supervision, document, by):
    """书面检查: the flagged unit uploads its written self-examination."""
    supervision = SpecialSupervision.objects.select_for_update().get(pk=supervision.pk)
    workflow.require_action(supervision, by, "submit")
    if not document:
        raise ValidationError(_("Attach the written self-examination."))
    workflow.fire(supervision, "submit")
    supervision.self_examination = document
    supervision.full_clean()
    supervision.submitted_at = timezone.now()
    supervision.save()
    record("self_examination_submitted", actor=by, target=supervision)
    notify(
        selectors.inspectors(),
        kind="special_supervision",
        title=_("%(unit)s submitted its written self-examination") % {"unit": supervision.unit},
        url=change_url(supervision),
        key=f"supervision:{supervision.pk}:submitted:{supervision.submitted_at.isoformat()}",
    )
    return supervision


@transaction.atomic
def decide_supervision(*, supervision, by, clear):
    """The inspector clears the flag, or sends the self-examination back."""
    supervision = SpecialSupervision.objects.select_for_update().get(pk=supervision.pk)
    workflow.require_action(supervision, by, "clear" if clear else "send_back")
    workflow.fire(supervision, "clear" if clear else "send_back")
    if clear:
        supervision.cleared_by = by
        supervision.cleared_at = timezone.now()
    supervision.save()
    record(
        "supervision_cleared" if clear else "self_examination_sent_back",
        actor=by,
        target=supervision,
    )
    return supervision


# --- monthly scoring (月度考评) --------------------------------------------------------------


@transaction.atomic
def compute_month(*, year, month):
    """Compute every unit's score sheet for a month from the platform's data (on the 1st).

    Runs once per month: a month already computed is returned unchanged.
    """
    existing = ScoreMonth.objects.filter(year=year, month=month).first()
    if existing is not None:
        return existing
    rule_set = ScoreRuleSet.objects.filter(is_active=True).prefetch_related("rules").first()
    if rule_set is None:
        raise ValidationError(_("No scoring rule set is in force."))
    try:
        with transaction.atomic():
            assessment = ScoreMonth.objects.create(year=year, month=month, rule_set=rule_set)
    except IntegrityError:
        # Another worker computed the month in the meantime (the task ran twice at once).
        return ScoreMonth.objects.get(year=year, month=month)
    days = scoring.publication_days(year, month)
    rules = list(rule_set.rules.all())
    for unit in selectors.inspected_units():
        score = MonthlyScore.objects.create(month=assessment, unit=unit)
        for rule in rules:
            points, measured = scoring.compute_rule(rule, days.get(unit.pk, []), year, month)
            MonthlyScoreItem.objects.create(
                score=score, rule=rule, computed_points=points, measured=measured
            )
        _update_total(score)
        notify(
            liaisons_of(unit),
            kind="monthly_score",
            title=_("Self-score %(month)s by %(date)s")
            % {"month": assessment, "date": self_score_deadline(assessment).isoformat()},
            url=change_url(score),
            key=f"score:{score.pk}:computed",
        )
    record("monthly_scores_computed", target=assessment, detail={"rule_set": rule_set.pk})
    return assessment


def _update_total(score):
    score.total = sum((item.points for item in score.items.all()), Decimal(0))
    score.save(update_fields=["total"])


def _plain(points):
    """30.0 as "30", 2.5 as "2.5": how people write points."""
    return str(points.to_integral_value()) if points == points.to_integral_value() else str(points)


def _checked_points(score, points):
    """{item: Decimal} for the given {rule id: value}; every value within its rule's range."""
    items = {item.rule_id: item for item in score.items.select_related("rule")}
    checked = {}
    for rule_id, raw in points.items():
        item = items.get(int(rule_id))
        if item is None:
            raise ValidationError(_("This score sheet has no such item."))
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise ValidationError(
                _("“%(rule)s”: give the points as a number.") % {"rule": item.rule.name}
            ) from exc
        if not 0 <= value <= item.rule.max_points:
            raise ValidationError(
                _("“%(rule)s” is scored between 0 and %(max)s points; %(value)s is outside.")
                % {"rule": item.rule.name, "max": _plain(item.rule.max_points), "value": raw}
            )
        checked[item] = value
    return checked


@transaction.atomic
def self_score(*, score, points, by):
    """自评: the unit scores itself by the 10th; items scored by hand must all be given."""
    score = MonthlyScore.objects.select_for_update().select_related("month").get(pk=score.pk)
    workflow.require_action(score, by, "self_score")
    checked = _checked_points(score, points)
    missing = [
        item.rule.name
        for item in score.items.select_related("rule")
        if item.rule.method == ScoreMethod.MANUAL and item not in checked
    ]
    if missing:
        raise ValidationError(
            _("Score these items by hand: %(items)s.") % {"items": "、".join(missing)}
        )
    workflow.fire(score, "self_score")
    for item, value in checked.items():
        item.self_points = value
        item.save(update_fields=["self_points"])
    score.self_scored_by = by
    score.self_scored_at = timezone.now()
    score.save(update_fields=["status", "self_scored_by", "self_scored_at"])
    _update_total(score)
    record("monthly_self_score", actor=by, target=score, detail={"total": str(score.total)})
    return score


@transaction.atomic
def confirm_score(*, score, points, by):
    """确认: the inspector confirms (or corrects) a unit's score by the 15th."""
    score = MonthlyScore.objects.select_for_update().select_related("month").get(pk=score.pk)
    workflow.require_action(score, by, "confirm")
    checked = _checked_points(score, points)
    workflow.fire(score, "confirm")
    for item in score.items.all():
        item.confirmed_points = checked.get(item, item.points)
        item.save(update_fields=["confirmed_points"])
    score.confirmed_by = by
    score.confirmed_at = timezone.now()
    score.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    _update_total(score)
    record("monthly_score_confirmed", actor=by, target=score, detail={"total": str(score.total)})
    return score


@transaction.atomic
def publish_month(*, month, by):
    """公布月度考评表 on the portal, once every unit's score is confirmed."""
    _require_inspector(by)
    month = ScoreMonth.objects.select_for_update().get(pk=month.pk)
    if month.published_at:
        raise ValidationError(_("This month's table is already published."))
    unconfirmed = month.scores.exclude(status=ScoreStatus.CONFIRMED).count()
    if unconfirmed:
        raise ValidationError(
            _("%(count)d units' scores are not confirmed yet; confirm them first.")
            % {"count": unconfirmed}
        )
    month.published_at = timezone.now()
    month.save(update_fields=["published_at"])
    record("monthly_scores_published", actor=by, target=month)
    return month


# --- annual reports (年度工作报表) -----------------------------------------------------------


@transaction.atomic
def generate_annual_reports(*, year):
    """Draft every open site's annual report and the supervisor's from the platform's data.

    A draft already there gets fresh figures (its hand-entered values are kept); a reviewed
    or published report is left alone.
    """
    subjects = [(ReportKind.SITE, site) for site in Site.objects.filter(status=Site.Status.OPEN)]
    subjects.append((ReportKind.SUPERVISOR, None))
    generated = []
    for kind, site in subjects:
        report, _created = AnnualReport.objects.select_for_update().get_or_create(
            year=year, kind=kind, site=site
        )
        if report.status != ReportStatus.DRAFT:
            continue
        report.figures = reports.compute_figures(kind, year, site)
        report.per_column = reports.per_column(year, site) if site is not None else []
        report.generated_at = timezone.now()
        report.save(update_fields=["figures", "per_column", "generated_at"])
        generated.append(report)
    if generated:
        notify(
            selectors.inspectors(),
            kind="annual_report",
            title=_(
                "The %(year)s annual reports are drafted; complete and publish them by %(date)s"
            )
            % {"year": year, "date": reports.publishing_deadline(year)},
            url=changelist_url(AnnualReport),
            key=f"annual-report:{year}:drafted",
        )
    return generated


def _check_manual(report, values):
    checked = {}
    by_key = {f.key: f for f in reports.fields_of(report) if f.by_hand}
    for key, raw in values.items():
        field = by_key.get(key)
        if field is None:
            raise ValidationError(
                _("The report has no hand-completed field “%(key)s”.") % {"key": key}
            )
        value = (str(raw) if raw is not None else "").strip()
        if field.kind == reports.COUNT and value:
            if not value.isdigit():
                raise ValidationError(
                    _("“%(field)s” must be a whole number of 0 or more.") % {"field": field.label}
                )
            value = int(value)
        checked[key] = value
    return checked


@transaction.atomic
def complete_report(*, report, values, by):
    """Fill in the fields the platform cannot know; only while the report is a draft."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    workflow.require_action(report, by, "complete")
    report.manual = {**report.manual, **_check_manual(report, values)}
    report.save(update_fields=["manual"])
    record("annual_report_completed", actor=by, target=report)
    return report


@transaction.atomic
def review_report(*, report, by, approve=True):
    """审核: the reviewed report may be published; reopening makes it a draft again."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    workflow.require_action(report, by, "review" if approve else "reopen")
    workflow.fire(report, "review" if approve else "reopen")
    report.reviewed_by = by if approve else None
    report.reviewed_at = timezone.now() if approve else None
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record(
        "annual_report_reviewed" if approve else "annual_report_reopened", actor=by, target=report
    )
    return report


@transaction.atomic
def publish_report(*, report, by):
    """公布: the reviewed report goes on the portal (due before 31 January)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    workflow.require_action(report, by, "publish")
    workflow.fire(report, "publish")
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at"])
    record("annual_report_published", actor=by, target=report)
    return report


# --- reminders ------------------------------------------------------------------------------


def send_reminders(*, today=None):
    """Daily: remind units and inspectors of every deadline coming or passed, once each."""
    today = today or timezone.localdate()
    sent = 0
    for score in selectors.scores_awaiting_self_score(today):
        deadline = self_score_deadline(score.month)
        sent += len(
            notify(
                liaisons_of(score.unit),
                kind="reminder",
                title=_("Reminder: self-score %(month)s by %(date)s")
                % {"month": score.month, "date": deadline.isoformat()},
                url=change_url(score),
                key=f"score:{score.pk}:self-score-reminder",
            )
        )
    for month in selectors.months_awaiting_confirmation(today):
        sent += len(
            notify(
                selectors.inspectors(),
                kind="reminder",
                title=_("Reminder: confirm the scores of %(month)s by %(date)s")
                % {"month": month, "date": confirm_deadline(month).isoformat()},
                url=changelist_url(MonthlyScore),
                key=f"month:{month.pk}:confirm-reminder",
            )
        )
    for problem in selectors.problems_due_soon(today):
        sent += len(
            notify(
                liaisons_of(problem.unit),
                kind="reminder",
                title=_("Reminder: rectify by %(date)s: %(problem)s")
                % {"date": problem.deadline.isoformat(), "problem": problem},
                url=change_url(problem),
                key=f"problem:{problem.pk}:due:{problem.deadline.isoformat()}",
            )
        )
    for problem in selectors.problems_overdue(today):
        sent += len(
            notify(
                [*liaisons_of(problem.unit), problem.recorded_by],
                kind="reminder",
                title=_("Rectification overdue since %(date)s: %(problem)s")
                % {"date": problem.deadline.isoformat(), "problem": problem},
                url=change_url(problem),
                key=f"problem:{problem.pk}:overdue:{problem.deadline.isoformat()}",
            )
        )
    for report in selectors.reports_awaiting_publication(today):
        sent += len(
            notify(
                selectors.inspectors(),
                kind="reminder",
                title=_("Reminder: publish “%(report)s” by %(date)s")
                % {"report": report, "date": reports.publishing_deadline(report.year).isoformat()},
                url=change_url(report),
                key=f"report:{report.pk}:publish-reminder",
            )
        )
    return sent
