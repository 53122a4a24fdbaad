"""工作台 — what a staff member must do now, by role: counts, the most urgent items, and a
link to the place where each piece of work is done.

Each count comes from the selector of the app that owns it; this module only composes them
per role and names the admin page each one opens.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.models import ColumnObjection, OfflineWindow, RequestStatus, Role, SpecialTopicRequest
from columns.selectors import (
    coming_offline_windows,
    pending_objections,
    pending_topic_requests,
    roles_of,
)
from interaction import selectors as mailbox
from interaction.models import CalendarYear, Message, MessageStatus
from interaction.services import calendar_health
from interaction.working_days import CalendarSource
from monitoring.indicators import assess
from monitoring.inspections.models import ProblemStatus, SpotCheckProblem
from monitoring.inspections.selectors import problems_to_rectify, problems_to_verify
from monitoring.models import ColumnFreshness
from monitoring.selectors import open_sites, unit_freshness_alerts
from publishing import selectors as articles
from publishing.models import Article, ArticleStatus

#: How many of the most urgent items each entry lists; its link opens the rest.
SHOWN_ITEMS = 5

#: Roles that decide a step of the article review or approve a message reply.
REVIEW_ROLES = (
    Role.SECTION_HEAD,
    Role.DEPUTY_LEADER,
    Role.PRINCIPAL_LEADER,
    Role.SECRECY_OFFICER,
    Role.OPINION_LEADER,
)


@dataclass
class Item:
    label: str
    url: str
    note: str = ""
    urgent: bool = False


@dataclass
class Entry:
    """One kind of work: how many there are, where to do them, the first few."""

    key: str
    title: str
    url: str
    count: int | None = None
    status: str = ""
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    role: str
    title: str
    entries: list[Entry]


def _changelist(model, **filters):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _entry(key, title, url, queryset, item):
    """An entry counted and listed from a queryset; item(obj) makes the listed Item."""
    return Entry(
        key=key,
        title=title,
        url=url,
        count=queryset.count(),
        items=[item(obj) for obj in queryset[:SHOWN_ITEMS]],
    )


def _message_item(message, now):
    overdue = message.due_at is not None and message.due_at < now
    note = (_("overdue since %(due)s") if overdue else _("due %(due)s")) % {
        "due": _local(message.due_at)
    }
    return Item(f"{message.tracking_code} {message.subject}", _change(message), note, overdue)


def _article_item(article):
    return Item(article.title, _change(article), _local(article.updated_at))


def liaison_entries(user, now):
    inbox = mailbox.inbox(user)
    return [
        _entry(
            "returned",
            _("Returned to me"),
            _changelist(Article, status__exact=ArticleStatus.RETURNED),
            articles.unit_articles(user, ArticleStatus.RETURNED),
            _article_item,
        ),
        _entry(
            "drafts",
            _("Drafts"),
            _changelist(Article, status__exact=ArticleStatus.DRAFT),
            articles.unit_articles(user, ArticleStatus.DRAFT),
            _article_item,
        ),
        _entry(
            "to_answer",
            _("Messages to answer"),
            reverse("admin:interaction_message_inbox"),
            inbox.get("to_answer", Message.objects.none()),
            lambda m: _message_item(m, now),
        ),
        _entry(
            "findings",
            _("Content-check findings to fix"),
            _changelist(Article),
            articles.articles_with_findings_to_fix(user),
            lambda a: Item(
                a.title,
                _change(a),
                _("%(count)s to fix") % {"count": a.findings_to_fix},
                True,
            ),
        ),
        _entry(
            "freshness",
            _("Columns due soon or not updated"),
            _changelist(ColumnFreshness),
            unit_freshness_alerts(user),
            lambda f: Item(
                f"{f.column.site.name} · {f.column.name}",
                _change(f),
                _("%(state)s · last update %(when)s")
                % {"state": f.get_state_display(), "when": _local(f.last_published_at) or "—"},
                f.state != "warning",
            ),
        ),
    ]


def reviewer_entries(user, now):
    inbox = mailbox.inbox(user)
    replies = list(inbox.get("to_approve", [])) + list(inbox.get("to_approve_as_leader", []))
    runs = articles.review_inbox(user)
    return [
        _entry(
            "to_review",
            _("Articles waiting for my review"),
            reverse("admin:publishing_article_inbox"),
            runs,
            lambda run: Item(
                run.article.title,
                _change(run.article),
                _("waiting since %(since)s") % {"since": _local(run.waiting_since)},
            ),
        ),
        Entry(
            key="replies",
            title=_("Message replies waiting for my approval"),
            url=reverse("admin:interaction_message_inbox"),
            count=len(replies),
            items=[_message_item(m, now) for m in replies[:SHOWN_ITEMS]],
        ),
    ]


def dispatcher_entries(user, now):
    inbox = mailbox.inbox(user)
    return [
        _entry(
            "to_route",
            _("To route"),
            reverse("admin:interaction_message_inbox"),
            mailbox.messages_to_route(),
            lambda m: _message_item(m, now),
        ),
        _entry(
            "transfers",
            _("Transfer requests"),
            _changelist(Message, status__exact=MessageStatus.TRANSFER_REQUESTED),
            mailbox.transfer_requests(),
            lambda m: _message_item(m, now),
        ),
        _entry(
            "extensions",
            _("Extension requests"),
            reverse("admin:interaction_message_inbox"),
            inbox["extensions"],
            lambda r: _message_item(r.message, now),
        ),
        _entry(
            "overdue",
            _("Overdue messages"),
            reverse("admin:interaction_message_inbox"),
            mailbox.overdue_messages(user, now),
            lambda m: _message_item(m, now),
        ),
    ]


def inspector_entries(user, now):
    verdicts = []
    for site in open_sites():
        result = assess(site, now=now)
        if result.passed:
            note = _("passed, score %(score)s") % {"score": result.score}
        else:
            note = _("failed: %(reasons)s") % {"reasons": "；".join(result.reasons)}
        url = reverse("admin:monitoring_compliancedashboard_changelist")
        verdicts.append(
            Item(site.name, f"{url}?{urlencode({'site': site.pk})}", note, not result.passed)
        )
    return [
        Entry(
            key="verdicts",
            title=_("Sites failing the national indicators"),
            url=reverse("admin:monitoring_compliancedashboard_changelist"),
            count=sum(1 for v in verdicts if v.urgent),
            items=verdicts,
        ),
        _entry(
            "to_rectify",
            _("Problems awaiting rectification"),
            _changelist(
                SpotCheckProblem,
                status__in=f"{ProblemStatus.OPEN},{ProblemStatus.RETURNED}",
            ),
            problems_to_rectify(),
            lambda p: Item(
                f"{p.unit.name} · {p}",
                _change(p),
                _("due %(due)s") % {"due": p.deadline},
                p.deadline is not None and p.deadline < timezone.localdate(now),
            ),
        ),
        _entry(
            "to_verify",
            _("Rectifications to verify"),
            _changelist(SpotCheckProblem, status__exact=ProblemStatus.ANSWERED),
            problems_to_verify(),
            lambda p: Item(f"{p.unit.name} · {p}", _change(p)),
        ),
    ]


def _calendar_source_label(source):
    return {
        CalendarSource.PACKAGE: _("from the published holiday arrangement"),
        CalendarSource.OPERATOR: _("entered by the operator"),
        CalendarSource.PROVISIONAL: _("provisional: holiday arrangement not yet entered"),
    }[source]


def operator_entries(user, now):
    health = calendar_health(timezone.localdate(now))
    calendar = Entry(
        key="calendar",
        title=_("Working-day calendar"),
        url=_changelist(CalendarYear),
        status=health["status"],
        items=[
            Item(
                str(year),
                _changelist(CalendarYear),
                _calendar_source_label(source),
                source == CalendarSource.PROVISIONAL,
            )
            for year, source in health["years"].items()
        ],
    )
    return [
        _entry(
            "objections",
            _("Objections to column assignments"),
            _changelist(ColumnObjection, status__exact=RequestStatus.PENDING),
            pending_objections(),
            lambda o: Item(f"{o.unit.name} · {o}", _change(o), _local(o.created_at)),
        ),
        _entry(
            "topic_requests",
            _("Special-topic requests"),
            _changelist(SpecialTopicRequest, status__exact=RequestStatus.PENDING),
            pending_topic_requests(),
            lambda r: Item(f"{r.unit.name} · {r}", _change(r), _local(r.created_at)),
        ),
        calendar,
        _entry(
            "offline",
            _("Temporary offline windows"),
            _changelist(OfflineWindow),
            coming_offline_windows(now),
            lambda w: Item(
                w.site.name,
                _change(w),
                f"{_local(w.starts_at)} – {_local(w.ends_at)}",
                w.starts_at <= now,
            ),
        ),
    ]


def sections_for(user, now=None):
    """The workbench of user: one section per role they hold, in the order of the day."""
    now = now or timezone.now()
    roles = roles_of(user)
    sections = []
    if Role.LIAISON in roles:
        sections.append(Section("liaison", _("Liaison"), liaison_entries(user, now)))
    if roles & set(REVIEW_ROLES):
        sections.append(Section("reviewer", _("Reviewer"), reviewer_entries(user, now)))
    if Role.DISPATCHER in roles:
        sections.append(Section("dispatcher", _("Dispatcher"), dispatcher_entries(user, now)))
    if Role.INSPECTOR in roles:
        sections.append(Section("inspector", _("Inspector"), inspector_entries(user, now)))
    if Role.OPERATOR in roles or user.is_superuser:
        sections.append(Section("operator", _("Platform operator"), operator_entries(user, now)))
    return sections
