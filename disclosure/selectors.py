"""Reads of disclosure requests: who sees which requests and their applicants' data, the
inbox, the deadline scan and the annual report's table."""

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.models import Role
from columns.selectors import has_role, unit_of
from interaction.selectors import (  # noqa: F401 (re-exported)
    cases_for_user,
    dispatchers,
    is_dispatcher,
    may_search_contact,
    may_see_contact,
)

from . import workflow
from .models import (
    AppealCount,
    ApplicantType,
    DisclosureRequest,
    RequestEvent,
    RequestExtension,
    RequestStatus,
    WithholdingGround,
)
from .notices import REPLY_RULES


def requests_for_user(user):
    return cases_for_user(user, DisclosureRequest)


def inbox(user):
    """待办 — what waits for this user, nearest due first."""
    sections = {}
    base = DisclosureRequest.objects.select_related("unit", "site").order_by("due_at", "pk")
    if is_dispatcher(user):
        sections["to_assign"] = base.filter(status=RequestStatus.RECEIVED)
    unit = unit_of(user)
    if unit is not None:
        mine = base.filter(unit=unit)
        if has_role(user, Role.LIAISON, unit):
            sections["to_answer"] = mine.filter(
                status__in=workflow.OPEN_STATES | {RequestStatus.ANSWERED}
            )
        if has_role(user, Role.SECTION_HEAD, unit):
            sections["to_approve"] = mine.filter(status=RequestStatus.REPLY_DRAFTED).exclude(
                reply_drafted_by=user
            )
        if workflow.is_office_head(user, unit):
            sections["extensions"] = mine.filter(extensions__status=RequestExtension.Status.PENDING)
    return sections


def alerts_due(now):
    """The deadline scan: one query on the partial index over next_alert_at."""
    return list(
        DisclosureRequest.objects.filter(next_alert_at__lte=now)
        .order_by("next_alert_at")
        .values_list("pk", flat=True)
    )


# --- 年报 -------------------------------------------------------------------------------------

#: The table's columns: 自然人, then 法人或其他组织 by kind.
REPORT_COLUMNS = [
    ApplicantType.PERSON,
    ApplicantType.COMMERCIAL,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_INTEREST,
    ApplicantType.LEGAL_SERVICES,
    ApplicantType.OTHER_ORGANISATION,
]
#: 本年度办理结果's rows as (section, row) with their labels in the report's order; the
#: "withheld" rows are the withholding grounds. A section's first row carries its heading.
OUTCOME_ROWS = [
    (("disclosed", ""), _("(1) Disclosed")),
    (("partial", ""), _("(2) Partly disclosed (separable parts: counted here only)")),
    *(
        (("withheld", ground), label)
        for ground, label in zip(
            WithholdingGround.values,
            [
                _("(3) Not disclosed — 1. state secret"),
                _("2. prohibited by laws and administrative regulations"),
                _("3. would endanger security or stability"),
                _("4. protection of third parties' lawful rights"),
                _("5. internal affairs information"),
                _("6. process information"),
                _("7. administrative law-enforcement files"),
                _("8. administrative query matters"),
            ],
            strict=True,
        )
    ),
    (("unavailable", "not_held"), _("(4) Cannot be provided — 1. not held by this authority")),
    (("unavailable", "needs_creation"), _("2. would have to be newly made")),
    (("unavailable", "still_unclear"), _("3. still unclear after clarification")),
    (("not_processed", "petition"), _("(5) Not processed — 1. petitions, complaints, reports")),
    (("not_processed", "duplicate"), _("2. repeated requests")),
    (("not_processed", "publication"), _("3. requests for publications")),
    (("other", "withdrawn"), _("(6) Other — 1. not clarified in time, no longer processed")),
    (("other", "other"), _("2. other")),
]


def report_page_tag(site_id):
    """The page-cache tag of pages showing a site's request statistics (the 年报 page)."""
    return f"disclosure-report:{site_id}"


def _year_bounds(year):
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return tuple(timezone.make_aware(datetime.combine(day, time.min)) for day in (start, end))


def _outcome_row(reply_type, ground, status):
    if status == RequestStatus.WITHDRAWN:
        return ("other", "withdrawn")
    section, row = REPLY_RULES[reply_type].report
    return (section, ground) if section == "withheld" else (section, row)


def annual_report(site, year):
    """政府信息公开年报 · 收到和处理政府信息公开申请情况 for site's requests in year, counted
    from the records: new and carried-in requests, outcomes of those concluded in the year,
    and those carried over to next year, each by applicant type; with the hand-entered
    reconsideration and litigation figures. Returns a dict of rows of counts per column.
    """
    start, end = _year_bounds(year)
    requests = DisclosureRequest.objects.filter(site=site, received_at__lt=end)

    def by_column(queryset, *group):
        counts = {}
        for row in queryset.values("applicant_type", *group).annotate(n=Count("pk")):
            key = tuple(row[g] for g in group)
            counts.setdefault(key, dict.fromkeys(REPORT_COLUMNS, 0))[row["applicant_type"]] = row[
                "n"
            ]
        return counts

    empty = dict.fromkeys(REPORT_COLUMNS, 0)
    new = by_column(requests.filter(received_at__gte=start)).get((), empty)
    open_at_start = Q(concluded_at__isnull=True) | Q(concluded_at__gte=start)
    carried_in = by_column(requests.filter(open_at_start, received_at__lt=start)).get((), empty)
    concluded = requests.filter(concluded_at__gte=start, concluded_at__lt=end)
    outcomes = {key: dict(empty) for key, _label in OUTCOME_ROWS}
    for (reply_type, ground, status), counts in by_column(
        concluded, "reply_type", "withholding_ground", "status"
    ).items():
        key = _outcome_row(reply_type, ground, status)
        for column, n in counts.items():
            outcomes[key][column] += n
    open_at_end = Q(concluded_at__isnull=True) | Q(concluded_at__gte=end)
    carried_out = by_column(requests.filter(open_at_end)).get((), empty)
    total = {column: sum(row[column] for row in outcomes.values()) for column in REPORT_COLUMNS}

    def row(key, label, counts):
        values = [counts[column] for column in REPORT_COLUMNS]
        return {"key": key, "label": label, "counts": values, "total": sum(values)}

    appeals = {a.kind: a for a in AppealCount.objects.filter(site=site, year=year)}
    return {
        "year": year,
        "columns": [ApplicantType(column).label for column in REPORT_COLUMNS],
        "received": row("received", _("1. New requests received this year"), new),
        "carried_in": row("carried_in", _("2. Requests carried over from last year"), carried_in),
        "outcomes": [
            row("-".join(filter(None, key)), label, outcomes[key]) for key, label in OUTCOME_ROWS
        ],
        "concluded": row("concluded", _("(7) Total"), total),
        "carried_out": row("carried_out", _("4. Carried over to next year"), carried_out),
        "appeals": [(label, appeals.get(kind)) for kind, label in AppealCount.Kind.choices],
    }


# --- the applicant's tracking page --------------------------------------------------------------


def tracked_request(site, pk):
    """The request an applicant tracks (its pk kept in their session), if it is on this site."""
    return DisclosureRequest.objects.filter(pk=pk, site=site).select_related("unit").first()


def applicant_timeline(request):
    """The steps of request the applicant is shown, in order (internal events left out)."""
    return request.events.filter(action__in=RequestEvent.LABELS)


def open_question(request):
    """The latest 补正 request, which the applicant is asked to answer."""
    return request.events.filter(action="request_clarification").last()
