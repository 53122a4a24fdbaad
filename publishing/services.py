"""Business actions on articles: the only code that changes an article's status.

Each action is one transaction, checks who may do it, fires the workflow transition,
records a revision and an operation-log entry, and notifies the people concerned.
Views, admin actions and Celery tasks call these; none of them changes state itself.
"""

from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.audit import record
from columns.models import Role
from columns.notifications import notify
from columns.selectors import is_operator

from . import workflow
from .content_checks import check_article, current_lexicon, record_findings
from .content_checks.published import (
    RESCAN_BATCH,
    record_published_findings,
    stale_published_articles,
    store_published_findings,
)
from .models import (
    Article,
    ArticleKind,
    ArticleRevision,
    ArticleStatus,
    ContentFinding,
    FindingOverride,
    HeadlineDirective,
    Importance,
    IndexSequence,
    Origin,
    ReviewChain,
    ReviewDecision,
    ReviewRun,
    Validity,
)
from .sanitising import clean_html
from .signals import article_published, article_withdrawn

User = get_user_model()

#: Publishing deadlines after approval [C气象§8, G九(一)].
GENERAL_DEADLINE = timedelta(hours=24)
URGENT_DEADLINE = timedelta(hours=12)
#: How long before a deadline passes its alert goes out.
DEADLINE_WARNING = timedelta(hours=2)

REVISION_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "origin",
    "source",
    "source_url",
    "importance",
    "byline",
    "document_number",
    "issuing_body",
    "written_on",
    "validity",
    "published_at",
    "expires_at",
    "status",
)


# --- who ------------------------------------------------------------------------------------


def holders_of(role, unit):
    """The active accounts that decide steps of role for unit."""
    users = User.objects.filter(is_active=True, groups__name=role)
    if role not in workflow.CROSS_UNIT_REVIEW_ROLES:
        users = users.filter(staff_profile__unit=unit)
    return list(users.distinct())


# --- content --------------------------------------------------------------------------------


def _snapshot(article):
    content = {}
    for name in REVISION_FIELDS:
        value = getattr(article, name)
        content[name] = value.isoformat() if hasattr(value, "isoformat") else value
    content["column"] = str(article.column)
    return content


def _keep_revision(article, *, by, note):
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleRevision.objects.create(
        article=article, number=last + 1, created_by=by, note=note, content=_snapshot(article)
    )


@transaction.atomic
def save_article(*, article, by, note=""):
    """Save an article's content (sanitised) and keep a revision; only while it is editable.

    Editing returned, withdrawn or expired work makes it a draft again.
    """
    if article.pk is not None:
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if stored.status not in workflow.EDITABLE_STATES:
            raise ValidationError(
                _(
                    "An article that is “%(status)s” cannot be edited; withdraw it first or wait "
                    "for the review to end."
                )
                % {"status": stored.get_status_display()}
            )
        workflow.revise(article, stored_status=stored.status)
    article.body = clean_html(article.body)
    article.full_clean()
    article.save()
    _keep_revision(article, by=by, note=note or _("Saved"))
    check_content(article=article)
    return article


def check_content(*, article):
    """内容检查: check the article and its attachments; keep and return the findings.

    Runs on every save (the admin runs it again once the attachments are stored) and on
    submission, so the author and every reviewer see the current findings. It runs inside
    the caller's transaction, which may hold the article's row lock: external links are
    fetched only after commit, by check_article_links (a Celery task).
    """
    findings = check_article(article, fetch_links=False)
    record_findings(article, findings)
    if article.pk is not None:
        from .tasks import check_article_links

        transaction.on_commit(partial(check_article_links.delay, article.pk), robust=True)
    return findings


def check_links_after_save(*, article_id):
    """The full check, external links included, outside any transaction; kept only if the
    article has not been saved again meanwhile (that save schedules its own check)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return None
    findings = check_article(article, fetch_links=True)
    with transaction.atomic():
        current = Article.objects.select_for_update().filter(pk=article_id).first()
        if current is None or current.updated_at != article.updated_at:
            return None
        record_findings(current, findings)
    return findings


# --- review ---------------------------------------------------------------------------------


def applicable_steps(article):
    """The steps of the article's chain that apply to it, as stored on a run."""
    chain = (
        ReviewChain.objects.filter(unit=article.unit, importance=article.importance)
        .prefetch_related("steps")
        .first()
    )
    if chain is None or not chain.steps.exists():
        raise ValidationError(
            _(
                "%(unit)s has no review chain for %(importance)s items; ask the platform operator "
                "to set one up."
            )
            % {"unit": article.unit, "importance": article.get_importance_display()}
        )
    return [
        {"name": step.name, "role": step.role}
        for step in chain.steps.order_by("position")
        if article.may_stir_opinion or not step.only_if_opinion_sensitive
    ]


@transaction.atomic
def submit(*, article, by):
    """提交审核: start a review run at the first step of the unit's chain."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    workflow.require_action(article, by, "submit")
    article.full_clean()
    steps = applicable_steps(article)
    _refuse_blocked_content(check_content(article=article))
    workflow.fire(article, "submit")
    article.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    run = ReviewRun.objects.create(
        article=article,
        submitted_by=by,
        submitted_at=now,
        steps=steps,
        current_index=0,
        current_role=steps[0]["role"],
        waiting_since=now,
    )
    _keep_revision(article, by=by, note=_("Submitted for review"))
    record("article_submitted", actor=by, target=article, detail={"run": run.pk})
    _notify_step(run)
    return run


def _refuse_blocked_content(findings):
    """A submission with a block finding only a fix can clear cannot enter review.

    Personal data and unreadable attachments enter review; a reviewer decides on them.
    """
    blocking = [f for f in findings if f.blocks and not f.overridable]
    if blocking:
        raise ValidationError(
            _("The article cannot enter review until these are fixed: %(findings)s")
            % {
                "findings": "；".join(
                    f"{f.rule_label}“{f.match}”（{f.suggestion}）" for f in blocking
                )
            },
            code="blocked_content",
        )


def _notify_step(run):
    step = run.steps[run.current_index]
    notify(
        holders_of(step["role"], run.article.unit),
        kind="review_waiting",
        title=_("Waiting for your review (%(step)s): %(title)s")
        % {"step": step["name"], "title": run.article.title},
        url=change_url(run.article),
        key=f"review:{run.pk}:step:{run.current_index}",
    )


@transaction.atomic
def decide(*, run, step_index, by, outcome, comment=""):
    """审核决定: approve or return the step step_index of run.

    Locks the run so that of two reviewers deciding at once exactly one decision is
    recorded; the other is told the step has moved on.
    """
    run = ReviewRun.objects.select_for_update().get(pk=run.pk)
    article = Article.objects.select_for_update().get(pk=run.article_id)
    run.article = article
    if run.status != ReviewRun.Status.IN_PROGRESS or run.current_index != step_index:
        raise ValidationError(
            _("This step has already been decided; reload the page to see where the review is."),
            code="stale_step",
        )
    if outcome not in ReviewDecision.Outcome.values:
        raise ValidationError(_("Unknown decision."))
    workflow.require_action(article, by, outcome)
    step = run.steps[step_index]
    comment = (comment or "").strip()
    if outcome == ReviewDecision.Outcome.RETURN and not comment:
        raise ValidationError(_("Say why the article is returned, so the author can fix it."))

    now = timezone.now()
    decision = ReviewDecision.objects.create(
        run=run,
        step_index=step_index,
        step_name=step["name"],
        role=step["role"],
        outcome=outcome,
        decided_by=by,
        decided_at=now,
        comment=comment,
    )
    record(
        "review_decision",
        actor=by,
        target=article,
        detail={"run": run.pk, "step": step["name"], "outcome": outcome, "comment": comment},
    )
    url = change_url(article)
    if outcome == ReviewDecision.Outcome.RETURN:
        workflow.finish_run(run, "return", at=now)
        run.save(update_fields=["status", "finished_at", "current_role"])
        workflow.fire(article, "return")
        article.save(update_fields=["status", "updated_at"])
        _keep_revision(article, by=by, note=_("Returned at %(step)s") % {"step": step["name"]})
        notify(
            [article.author],
            kind="review_returned",
            title=_("Returned (%(step)s): %(title)s") % {"step": step["name"], "title": article},
            body=comment,
            url=url,
            key=f"review:{run.pk}:returned",
        )
        return decision

    if step_index + 1 < len(run.steps):
        run.current_index = step_index + 1
        run.current_role = run.steps[run.current_index]["role"]
        run.waiting_since = now
        run.save(update_fields=["current_index", "current_role", "waiting_since"])
        notify(
            [article.author],
            kind="review_progress",
            title=_("%(step)s approved: %(title)s") % {"step": step["name"], "title": article},
            body=comment,
            url=url,
            key=f"review:{run.pk}:approved:{step_index}",
        )
        _notify_step(run)
        return decision

    workflow.finish_run(run, "approve", at=now)
    run.save(update_fields=["status", "finished_at", "current_role"])
    workflow.fire(article, "approve")
    article.approved_at = now
    article.due_at = now + deadline_after_approval(article)
    article.save(update_fields=["status", "approved_at", "due_at", "updated_at"])
    _keep_revision(article, by=by, note=_("Approved"))
    notify(
        [article.author],
        kind="review_approved",
        title=_("Approved: %(title)s") % {"title": article},
        body=comment,
        url=url,
        key=f"review:{run.pk}:approved",
    )
    if article.publish_on_approval:
        if article.published_at and article.published_at > now:
            _schedule(article, at=article.published_at, by=by)
        else:
            _publish(article, by=by)
    return decision


@transaction.atomic
def override_finding(*, run, finding, by, reason):
    """人工放行: the reviewer of the current step lets one personal-data or unreadable-
    attachment finding through, with a reason recorded on the review run."""
    run = ReviewRun.objects.select_for_update().get(pk=run.pk)
    article = Article.objects.get(pk=run.article_id)
    if run.status != ReviewRun.Status.IN_PROGRESS:
        raise ValidationError(_("This review has ended; nothing can be let through any more."))
    workflow.require_action(article, by, "override")
    try:
        finding = ContentFinding.objects.get(pk=finding.pk, article=article)
    except ContentFinding.DoesNotExist:
        raise ValidationError(
            _("The check has run again since; reload the page to see its findings.")
        ) from None
    if not finding.overridable:
        raise ValidationError(
            _("Only personal data and unreadable attachments can be let through.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why this may be published, for the record."))
    override, created = FindingOverride.objects.get_or_create(
        run=run,
        fingerprint=finding.fingerprint,
        source=finding.source,
        defaults={
            "rule": finding.rule,
            "match": finding.match,
            "reason": reason,
            "decided_by": by,
        },
    )
    if not created:
        raise ValidationError(_("This finding has already been let through."))
    record(
        "finding_overridden",
        actor=by,
        target=article,
        detail={"run": run.pk, "rule": finding.rule, "match": finding.match, "reason": reason},
    )
    return override


def deadline_after_approval(article):
    """24 h for general items; 12 h for important ones and reposts from higher portals."""
    if article.importance == Importance.IMPORTANT or article.origin == Origin.REPOST_HIGHER:
        return URGENT_DEADLINE
    return GENERAL_DEADLINE


# --- publication ----------------------------------------------------------------------------


def next_index_number(unit, year):
    """索引号: unit organisation code / year - five-digit sequence, drawn under a row lock."""
    with transaction.atomic():
        sequence, _created = IndexSequence.objects.select_for_update().get_or_create(
            unit=unit, year=year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{unit.org_code}/{year}-{sequence.last:05d}"


def _publish(article, *, by):
    now = timezone.now()
    workflow.fire(article, "publish")
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    if (
        article.kind in (ArticleKind.POLICY, ArticleKind.INTERPRETATION)
        and not article.index_number
    ):
        year = timezone.localtime(article.published_at).year
        article.index_number = next_index_number(article.unit, year)
    article.save(update_fields=["status", "published_at", "index_number", "updated_at"])
    record_published_findings(article)
    HeadlineDirective.objects.filter(article=article, executed_at__isnull=True).update(
        executed_at=now
    )
    _keep_revision(article, by=by, note=_("Published"))
    record("article_published", actor=by, target=article)
    notify(
        [article.author],
        kind="article_published",
        title=_("Published: %(title)s") % {"title": article},
        url=change_url(article),
        key=f"article:{article.pk}:published:{article.published_at.isoformat()}",
    )
    transaction.on_commit(lambda: article_published.send(sender=Article, article=article))


def _schedule(article, *, at, by):
    workflow.fire(article, "schedule")
    article.published_at = at
    article.save(update_fields=["status", "published_at", "updated_at"])
    _keep_revision(article, by=by, note=_("Scheduled"))
    record("article_scheduled", actor=by, target=article, detail={"at": at.isoformat()})


def _lock_for(article, by, action):
    article = Article.objects.select_for_update().get(pk=article.pk)
    workflow.require_action(article, by, action)
    return article


@transaction.atomic
def publish(*, article, by):
    """发布: put an approved (or scheduled) article online now."""
    article = _lock_for(article, by, "publish")
    _publish(article, by=by)
    return article


@transaction.atomic
def schedule(*, article, by, at):
    """定时发布: publish an approved article at a later time."""
    article = _lock_for(article, by, "schedule")
    if at <= timezone.now():
        raise ValidationError(_("The scheduled time must be in the future."))
    if article.expires_at and article.expires_at <= at:
        raise ValidationError(_("The expiry time must be later than the publish time."))
    _schedule(article, at=at, by=by)
    return article


@transaction.atomic
def withdraw(*, article, by, reason):
    """撤稿: take a published or scheduled article off the site, saying why."""
    article = _lock_for(article, by, "withdraw")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing the article."))
    workflow.fire(article, "withdraw")
    article.withdrawn_at = timezone.now()
    article.withdrawal_reason = reason
    article.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    record_published_findings(article)
    _keep_revision(article, by=by, note=_("Withdrawn: %(reason)s") % {"reason": reason})
    record("article_withdrawn", actor=by, target=article, detail={"reason": reason})
    transaction.on_commit(
        lambda: article_withdrawn.send(sender=Article, article=article, reason=reason)
    )
    return article


@transaction.atomic
def mark_invalid(*, article, by, validity):
    """失效/废止: mark a policy document no longer valid or repealed; it stays readable."""
    article = _lock_for(article, by, "mark_invalid")
    if validity not in (Validity.INVALID, Validity.REPEALED):
        raise ValidationError(_("Choose “no longer valid” or “repealed”."))
    article.validity = validity
    article.validity_changed_at = timezone.now()
    article.save(update_fields=["validity", "validity_changed_at", "updated_at"])
    _keep_revision(article, by=by, note=Validity(validity).label)
    record("policy_validity_changed", actor=by, target=article, detail={"validity": validity})
    return article


@transaction.atomic
def restore_approved_body(*, article, revision):
    """防篡改恢复: put back the body of revision, the text approved, after the body of a
    published article was changed behind the review (found by monitoring.tamper); the article
    stays published, its pages are rendered again, the log records it."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.body = revision.content["body"]
    article.save(update_fields=["body", "updated_at"])
    # A rescan may have read the altered body meanwhile.
    record_published_findings(article)
    _keep_revision(article, by=None, note=_("Approved text restored after tampering"))
    record("article_tamper_restored", target=article, detail={"revision": revision.number})
    return article


@transaction.atomic
def order_headline(*, article, by, reason="", site=None):
    """头条指令: the operator orders an item into a site's homepage headline.

    Executed at once for a published item, otherwise when it is published.
    """
    article = _lock_for(article, by, "order_headline")
    now = timezone.now()
    directive = HeadlineDirective.objects.create(
        site=site or article.column.site,
        article=article,
        ordered_by=by,
        ordered_at=now,
        reason=reason,
        executed_at=now if article.status == ArticleStatus.PUBLISHED else None,
    )
    record("headline_ordered", actor=by, target=article, detail={"site": directive.site_id})
    return directive


@transaction.atomic
def import_published(*, article, by, published_at):
    """迁移历史信息: carry over an item already published on a unit's previous website.

    Only the platform operator imports; the item keeps its original publish time.
    """
    if not is_operator(by):
        raise PermissionDenied(_("Only the platform operator may import published content."))
    article.published_at = published_at
    article.body = clean_html(article.body)
    article.full_clean()
    workflow.fire(article, "import_published")
    if (
        article.kind in (ArticleKind.POLICY, ArticleKind.INTERPRETATION)
        and not article.index_number
    ):
        article.index_number = next_index_number(
            article.unit, timezone.localtime(published_at).year
        )
    article.save()
    record_published_findings(article)
    _keep_revision(article, by=by, note=_("Imported from the previous website"))
    record("article_imported", actor=by, target=article)
    transaction.on_commit(lambda: article_published.send(sender=Article, article=article))
    return article


# --- serious errors online -------------------------------------------------------------------


def rescan_published_findings(*, version, after=0):
    """刊发内容复查: once the check lists have changed to version, recompute the serious
    errors of the next batch of published articles (by id, after the id after) that were not
    computed against it.

    Returns the id the following batch starts after, or None when none is left or the lists
    have changed again (that change started its own rescan). Safe to run twice at once and to
    start again anywhere: an article done against version is not read again.
    """
    lexicon = current_lexicon()
    if lexicon.version != version:
        return None
    with transaction.atomic():
        # Locked: an article withdrawn meanwhile must not get its findings back.
        batch = list(
            stale_published_articles(version)
            .filter(pk__gt=after)
            .select_for_update()
            .only("pk", "title", "body")[:RESCAN_BATCH]
        )
        store_published_findings(batch, lexicon)
    if batch:
        return batch[-1].pk
    # An article published behind the batches with the lists of before: once more round.
    if after and stale_published_articles(version).exists():
        return 0
    return None


# --- beat -----------------------------------------------------------------------------------


def publish_due_articles():
    """Publish every scheduled article whose time has come; safe to run twice at once."""
    published = 0
    now = timezone.now()
    for pk in Article.objects.filter(
        status=ArticleStatus.SCHEDULED, published_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            # Re-read under the lock: another worker may have published it meanwhile.
            if article.status == ArticleStatus.SCHEDULED and article.published_at <= now:
                _publish(article, by=None)
                published += 1
    return published


def expire_due_articles():
    """Take published articles past their expiry time off the site."""
    expired = 0
    now = timezone.now()
    for pk in Article.objects.filter(
        status=ArticleStatus.PUBLISHED, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if article.status == ArticleStatus.PUBLISHED and article.expires_at <= now:
                workflow.fire(article, "expire")
                article.save(update_fields=["status", "updated_at"])
                record_published_findings(article)
                _keep_revision(article, by=None, note=_("Expired"))
                record("article_expired", target=article)
                transaction.on_commit(
                    lambda article=article: article_withdrawn.send(
                        sender=Article, article=article, reason="expired"
                    )
                )
                expired += 1
    return expired


def alert_deadlines():
    """Warn the author and the unit's liaison before an approved item's deadline passes.

    Items that will be online in time (scheduled before the deadline) need no alert. The
    notification key makes the alert go out once however often this runs.
    """
    now = timezone.now()
    late = Article.objects.filter(
        status__in=[ArticleStatus.APPROVED, ArticleStatus.SCHEDULED],
        due_at__isnull=False,
        due_at__lte=now + DEADLINE_WARNING,
    ).select_related("unit", "author")
    sent = 0
    for article in late:
        if article.status == ArticleStatus.SCHEDULED and article.published_at <= article.due_at:
            continue
        recipients = [article.author, *holders_of(Role.LIAISON, article.unit)]
        sent += len(
            notify(
                recipients,
                kind="publishing_deadline",
                title=_("Must be online by %(due)s: %(title)s")
                % {
                    "due": timezone.localtime(article.due_at).strftime("%Y-%m-%d %H:%M"),
                    "title": article,
                },
                url=change_url(article),
                key=f"article:{article.pk}:due:{article.due_at.isoformat()}",
            )
        )
    return sent


# --- handover -------------------------------------------------------------------------------


def hand_over_articles(*, unit, old_user, new_user):
    """Give the old liaison's open drafts and submissions in unit to the new liaison."""
    mine = Article.objects.filter(unit=unit, author=old_user)
    drafts = mine.filter(status__in=workflow.OPEN_DRAFT_STATES).update(author=new_user)
    submissions = mine.filter(status__in=workflow.OPEN_SUBMISSION_STATES).update(author=new_user)
    return {"drafts": drafts, "submissions": submissions}
