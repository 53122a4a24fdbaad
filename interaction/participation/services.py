"""Business actions of public participation: what citizens send, and what units do with it.

Each action is one transaction and refuses a broken rule with a Chinese ValidationError that
stores nothing; the unit's actions check that the user manages that unit and go to the
operation log. A consultation's document and report are articles: their review and
publication are publishing.services' submit/decide/publish, not repeated here.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from columns.admin_links import change_url
from columns.audit import record
from columns.notifications import notify
from columns.selectors import liaisons_of
from publishing import services as publishing_services
from publishing.models import Article, ArticleStatus

from . import workflow
from .citizen_input import check_rate, screen_text
from .models import (
    Adoption,
    Consultation,
    ConsultationComment,
    Interview,
    InterviewQuestion,
    Moderation,
    PublicState,
    QuestionKind,
    QuestionScreening,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    TranscriptEntry,
)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_TEXT = 2000


# --- who ------------------------------------------------------------------------------------


def _require_manager(user, unit):
    refusal = workflow.manager_refusal(user, unit)
    if refusal:
        raise PermissionDenied(refusal)


def _citizen_text(value, *, what, max_length=MAX_TEXT):
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Please write your %(what)s.") % {"what": what})
    if len(value) > max_length:
        raise ValidationError(
            _("Your %(what)s is %(length)s characters long; at most %(max)s are accepted.")
            % {"what": what, "length": len(value), "max": max_length}
        )
    return value


def _save_item(item, *, by, action):
    _require_manager(by, item.unit)
    if item.pk is None:
        item.created_by = by
    item.full_clean()
    item.save()
    record(action, actor=by, target=item)
    return item


# --- 意见征集 consultations ----------------------------------------------------------------


def consultation_is_public(consultation):
    """Public once its document has passed the review chain and been published."""
    return consultation.document.status == ArticleStatus.PUBLISHED


@transaction.atomic
def save_consultation(*, consultation, by):
    """Create or change a consultation of the user's unit."""
    return _save_item(consultation, by=by, action="consultation_saved")


@transaction.atomic
def comment_on(*, consultation, content, name, phone="", email="", ip_address=None):
    """提交意见: a citizen comments on an open consultation.

    The content checker's blocking findings hold the comment until the unit approves it;
    otherwise it is public at once. Name, phone and e-mail are never shown publicly.
    """
    consultation = Consultation.objects.select_related("document", "report", "unit").get(
        pk=consultation.pk
    )
    state = consultation.state()
    if not consultation_is_public(consultation) or state == PublicState.UPCOMING:
        raise ValidationError(_("This consultation is not open for comments yet."))
    if state != PublicState.OPEN:
        raise ValidationError(
            _("This consultation closed on %(date)s; comments are no longer accepted.")
            % {"date": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    content = _citizen_text(content, what=pgettext("citizen", "opinion"))
    name = _citizen_text(name, what=pgettext("person", "full name"), max_length=50)
    check_rate(ConsultationComment, ip_address)
    held, findings = screen_text(content)
    comment = ConsultationComment.objects.create(
        consultation=consultation,
        content=content,
        name=name,
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        ip_address=ip_address,
        moderation=Moderation.HELD if held else Moderation.PUBLISHED,
        checker_findings=findings,
    )
    if held:
        title = _("A comment on “%(title)s” waits for moderation") % {"title": consultation}
        key = f"consultation-comment:{comment.pk}:held"
        _tell_liaisons(consultation.unit, comment, kind="participation_held", title=title, key=key)
    return comment


def _tell_liaisons(unit, item, *, kind, title, key):
    """Tell the unit's liaisons that item, sent by a citizen, waits for their decision."""
    notify(liaisons_of(unit), kind=kind, title=title, url=change_url(item), key=key)


def _decide_once(item, unit, *, by, accept, refusal, action):
    """The unit's one decision on something a citizen sent (a comment's moderation, a
    question's screening), while it is pending: accepted or not (the model's
    decision_states), who decided and when kept (its decision_fields), the operation logged."""
    _require_manager(by, unit)
    state, decided_by, decided_at = item.decision_fields
    pending, accepted, rejected = item.decision_states
    if getattr(item, state) != pending:
        raise ValidationError(refusal)
    setattr(item, state, accepted if accept else rejected)
    setattr(item, decided_by, by)
    setattr(item, decided_at, timezone.now())
    item.save(update_fields=list(item.decision_fields))
    record(action, actor=by, target=item, detail={"outcome": getattr(item, state)})
    return item


@transaction.atomic
def moderate_comment(*, comment, by, approve):
    """审核意见: the unit publishes a held comment, or rejects it (it then stays private)."""
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    refusal = _("This comment is not waiting for moderation.")
    action = "consultation_comment_moderated"
    return _decide_once(
        comment, comment.consultation.unit, by=by, accept=approve, refusal=refusal, action=action
    )


@transaction.atomic
def decide_adoption(*, comment, by, adoption, note=""):
    """采纳情况: record whether a comment was adopted; a comment not (fully) adopted needs the
    reason, which the feedback report prints."""
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    _require_manager(by, comment.consultation.unit)
    if comment.moderation != Moderation.PUBLISHED:
        raise ValidationError(_("Only published comments are answered in the feedback report."))
    if adoption not in Adoption.values or adoption == Adoption.UNDECIDED:
        raise ValidationError(_("Choose adopted, partly adopted or not adopted."))
    note = (note or "").strip()
    if adoption != Adoption.ADOPTED and not note:
        raise ValidationError(_("Say why the comment was not (fully) adopted."))
    comment.adoption = adoption
    comment.adoption_note = note
    comment.save(update_fields=["adoption", "adoption_note"])
    record("consultation_adoption", actor=by, target=comment, detail={"adoption": adoption})
    return comment


def report_figures(consultation):
    """The numbers a feedback report states: comments received, published, and per decision."""
    comments = list(consultation.comments.all())
    published = [c for c in comments if c.moderation == Moderation.PUBLISHED]
    return {
        "received": len(comments),
        "published": published,
        "adopted": [c for c in published if c.adoption == Adoption.ADOPTED],
        "partly": [c for c in published if c.adoption == Adoption.PARTLY],
        "not_adopted": [c for c in published if c.adoption == Adoption.NOT_ADOPTED],
        "undecided": [c for c in published if c.adoption == Adoption.UNDECIDED],
    }


@transaction.atomic
def draft_report(*, consultation, by):
    """起草反馈报告: after the close, write the feedback report as an article of the unit.

    The body states how many comments came in, which were adopted and why the others were
    not; the liaison may edit it and submits it to the 三审 chain like any article. Once it is
    published the consultation shows "result published" and links it.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_manager(by, consultation.unit)
    if consultation.report_id is not None:
        raise ValidationError(_("This consultation already has a feedback report."))
    if timezone.now() < consultation.closes_at:
        raise ValidationError(_("The feedback report can be written once the consultation closes."))
    figures = report_figures(consultation)
    if figures["undecided"]:
        raise ValidationError(
            _(
                "%(count)s published comments have no adoption decision yet; decide each of them "
                "before writing the report."
            )
            % {"count": len(figures["undecided"])}
        )
    document = consultation.document
    article = Article(
        title=_("Feedback on the comments on “%(title)s”") % {"title": document.title},
        summary=_("%(count)s comments received; %(adopted)s adopted in full or in part.")
        % {
            "count": figures["received"],
            "adopted": len(figures["adopted"]) + len(figures["partly"]),
        },
        body=render_to_string(
            "interaction/participation/report_body.html",
            {"consultation": consultation, **figures},
        ),
        column=document.column,
        unit=consultation.unit,
        author=by,
        byline=document.byline,
    )
    publishing_services.save_article(article=article, by=by, note=_("Feedback report drafted"))
    consultation.report = article
    consultation.save(update_fields=["report"])
    record(
        "consultation_report_drafted", actor=by, target=consultation, detail={"article": article.pk}
    )
    return article


# --- 征集调查 surveys ------------------------------------------------------------------------


@transaction.atomic
def save_survey(*, survey, by):
    if survey.pk is not None and survey.responses.exists():
        stored = Survey.objects.get(pk=survey.pk)
        if (stored.requires_phone, stored.opens_at) != (survey.requires_phone, survey.opens_at):
            raise ValidationError(
                _("The survey has answers already; its start and phone rule can no longer change.")
            )
    return _save_item(survey, by=by, action="survey_saved")


@transaction.atomic
def publish_survey(*, survey, by):
    """发布调查: put a survey on the public site; its questions must be complete."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_manager(by, survey.unit)
    if survey.published_at is not None:
        raise ValidationError(_("This survey is already published."))
    questions = list(survey.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(_("Add at least one question before publishing the survey."))
    for question in questions:
        if question.kind != QuestionKind.TEXT and len(question.choices.all()) < 2:
            raise ValidationError(
                _("Question “%(question)s” needs at least two options.") % {"question": question}
            )
    survey.published_at = timezone.now()
    survey.save(update_fields=["published_at"])
    record("survey_published", actor=by, target=survey)
    return survey


@transaction.atomic
def publish_survey_results(*, survey, by):
    """公布结果: the unit chooses to show the counts and charts, once the survey has closed."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_manager(by, survey.unit)
    if survey.published_at is None:
        raise ValidationError(_("Publish the survey first."))
    if survey.results_published_at is not None:
        raise ValidationError(_("The results are already published."))
    if timezone.now() < survey.closes_at:
        raise ValidationError(_("The results can be published once the survey has closed."))
    survey.results_published_at = timezone.now()
    survey.save(update_fields=["results_published_at"])
    record("survey_results_published", actor=by, target=survey)
    return survey


def phone_digest(phone):
    """A keyed hash of a phone number: enough to refuse a second answer, useless to a reader."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"survey-phone\x00{phone}".encode(), hashlib.sha256
    ).hexdigest()


def _already_answered():
    return ValidationError(
        _("You have already taken part in this survey; each person may answer once.")
    )


def _validated_answers(survey, answers):
    """[(question, [choices], text)] from {question pk: list of choice pks or text}, or the
    first problem as a message naming the question."""
    cleaned = []
    for question in survey.questions.prefetch_related("choices"):
        raw = answers.get(question.pk)
        if question.kind == QuestionKind.TEXT:
            text = (raw or "").strip() if isinstance(raw, str) else ""
            if len(text) > MAX_TEXT:
                raise ValidationError(
                    _("The answer to “%(question)s” is longer than %(max)s characters.")
                    % {"question": question, "max": MAX_TEXT}
                )
            if question.required and not text:
                raise ValidationError(_("Please answer “%(question)s”.") % {"question": question})
            cleaned.append((question, [], text))
            continue
        wanted = {str(v) for v in (raw if isinstance(raw, (list, tuple)) else [raw]) if v}
        options = {str(c.pk): c for c in question.choices.all()}
        if wanted - options.keys():
            raise ValidationError(
                _("An option chosen for “%(question)s” does not exist; reload the page.")
                % {"question": question}
            )
        if question.required and not wanted:
            raise ValidationError(_("Please answer “%(question)s”.") % {"question": question})
        if question.kind == QuestionKind.SINGLE and len(wanted) > 1:
            raise ValidationError(
                _("Choose only one option for “%(question)s”.") % {"question": question}
            )
        cleaned.append((question, [options[pk] for pk in sorted(wanted)], ""))
    return cleaned


def answer_survey(*, survey, respondent_key, answers, phone="", ip_address=None):
    """参与调查: store one citizen's answers; a second answer from the same browser (cookie) or
    phone number is refused, and addresses sending many are slowed down by the rate limit."""
    survey = Survey.objects.get(pk=survey.pk)
    if survey.published_at is None or survey.state() == PublicState.UPCOMING:
        raise ValidationError(_("This survey has not started yet."))
    if survey.state() != PublicState.OPEN:
        raise ValidationError(_("This survey has closed; answers are no longer accepted."))
    if not respondent_key:
        raise ValidationError(_("Please allow cookies for this site to take part in the survey."))
    digest = ""
    if survey.requires_phone:
        phone = (phone or "").strip()
        if not MOBILE_RE.match(phone):
            raise ValidationError(_("Give your 11-digit mobile number: one answer per number."))
        digest = phone_digest(phone)
    taken = SurveyResponse.objects.filter(survey=survey, respondent_key=respondent_key)
    if taken.exists() or (
        digest and SurveyResponse.objects.filter(survey=survey, phone_digest=digest).exists()
    ):
        raise _already_answered()
    cleaned = _validated_answers(survey, answers)
    check_rate(SurveyResponse, ip_address)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                respondent_key=respondent_key,
                phone_digest=digest,
                ip_address=ip_address,
            )
            for question, choices, text in cleaned:
                answer = SurveyAnswer.objects.create(
                    response=response, question=question, text=text
                )
                if choices:
                    answer.choices.set(choices)
    except IntegrityError:
        # The same browser or number sent twice at once: the constraint lets one through.
        raise _already_answered() from None
    return response


# --- 在线访谈 interviews ---------------------------------------------------------------------


@transaction.atomic
def save_interview(*, interview, by):
    return _save_item(interview, by=by, action="interview_saved")


@transaction.atomic
def publish_interview(*, interview, by):
    """发布预告: announce the interview on the public site, with its guests."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    workflow.require_action(interview, by, "publish")
    interview.published_at = timezone.now()
    interview.save(update_fields=["published_at"])
    record("interview_published", actor=by, target=interview)
    return interview


def _transition(interview, name, *, by):
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        workflow.require_action(interview, by, name)
        workflow.fire(interview, name)
        interview.save(update_fields=["status"])
        record(f"interview_{name}", actor=by, target=interview)
    return interview


def start_interview(*, interview, by):
    """开始直播: the live page starts showing the transcript as it is posted."""
    return _transition(interview, "start", by=by)


def end_interview(*, interview, by):
    """结束访谈: the page becomes the archive with the full transcript."""
    return _transition(interview, "end", by=by)


@transaction.atomic
def ask_question(*, interview, nickname, content, ip_address=None):
    """网友提问: a citizen sends a question before or during the interview; the unit screens it
    before anyone sees it."""
    interview = Interview.objects.get(pk=interview.pk)
    if interview.published_at is None or interview.status not in workflow.ASKING_STATES:
        raise ValidationError(_("This interview has ended; questions are no longer accepted."))
    content = _citizen_text(content, what=_("question"), max_length=500)
    nickname = _citizen_text(nickname, what=_("nickname"), max_length=30)
    check_rate(InterviewQuestion, ip_address)
    _held, findings = screen_text(f"{nickname}\n{content}")
    question = InterviewQuestion.objects.create(
        interview=interview,
        nickname=nickname,
        content=content,
        ip_address=ip_address,
        checker_findings=findings,
    )
    title = _("A question for “%(title)s” waits for screening") % {"title": interview}
    key = f"interview-question:{question.pk}"
    _tell_liaisons(interview.unit, question, kind="participation_question", title=title, key=key)
    return question


@transaction.atomic
def screen_question(*, question, by, accept):
    """筛选问题: accept a question (shown and answered) or reject it (never shown)."""
    question = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
    refusal = _("This question has already been screened.")
    action = "interview_question_screened"
    return _decide_once(
        question, question.interview.unit, by=by, accept=accept, refusal=refusal, action=action
    )


@transaction.atomic
def post_entry(*, interview, by, text, guest=None, question=None):
    """发布实录: the host posts what the host or a guest says; the live page shows it within
    seconds. An answer may name the accepted question it answers."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    workflow.require_action(interview, by, "post_entry")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write what was said."))
    if guest is not None and guest.interview_id != interview.pk:
        raise ValidationError(_("This guest does not take part in this interview."))
    if question is not None:
        # Re-read: the caller's copy may predate the screening.
        question = InterviewQuestion.objects.get(pk=question.pk)
    if question is not None and (
        question.interview_id != interview.pk or question.screening != QuestionScreening.ACCEPTED
    ):
        raise ValidationError(_("Only accepted questions of this interview can be answered."))
    entry = TranscriptEntry.objects.create(
        interview=interview, guest=guest, question=question, text=text, posted_by=by
    )
    record("interview_entry_posted", actor=by, target=interview, detail={"entry": entry.pk})
    return entry
