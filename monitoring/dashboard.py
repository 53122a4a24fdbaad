"""合规监管看板 — the inspectors' dashboard in the admin: indicator cards per site, the per-unit
table, trends as ECharts charts, drill-down to every item and its owner, Excel export.

Inspectors and the operator see every site and unit; a unit's staff see the same pages cut to
their own unit (monitoring.selectors.unit_scope).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import availability, selectors
from .export import xlsx_response
from .indicators import VETO, assess_sites
from .inspections.selectors import supervised_units


def _scope(request):
    if not selectors.may_open_dashboard(request.user):
        raise PermissionDenied
    sites = list(selectors.open_sites())
    chosen = request.GET.get("site")
    if chosen:
        sites = [s for s in sites if str(s.pk) == chosen]
        if not sites:
            raise Http404
    return sites, selectors.unit_scope(request.user)


def _day(value):
    return value.strftime("%m-%d")


def _charts(sites, unit):
    freshness = selectors.freshness_trend(sites=sites, unit=unit)
    links = selectors.broken_link_trend(sites=sites, unit=unit)
    uptime = selectors.uptime_trend(sites=sites)
    visits = selectors.visit_trend(sites=sites, unit=unit)
    published = selectors.publishing_trend(sites=sites, unit=unit)
    return {
        "freshness": {
            "days": [_day(d) for d, *_rest in freshness],
            "series": [
                {"name": _("Up to date"), "data": [r[1] for r in freshness]},
                {"name": _("Due soon"), "data": [r[2] for r in freshness]},
                {"name": _("Not updated"), "data": [r[3] for r in freshness]},
                {"name": _("Blank columns"), "data": [r[4] for r in freshness]},
            ],
        },
        "links": {
            "days": [_day(d) for d, *_rest in links],
            "series": [
                {"name": _("On the homepage"), "data": [r[1] for r in links]},
                {"name": _("On other pages"), "data": [r[2] for r in links]},
            ],
        },
        "uptime": {
            "days": [_day(d) for d, _v in uptime],
            "series": [{"name": _("Uptime (%)"), "data": [v for _d, v in uptime]}],
        },
        "visits": {
            "days": [_day(d) for d, _v in visits],
            "series": [{"name": _("Visits"), "data": [v for _d, v in visits]}],
        },
        "published": {
            "days": [timezone.localtime(m).strftime("%Y-%m") for m, _v in published],
            "series": [{"name": _("Items published"), "data": [v for _m, v in published]}],
        },
    }


def dashboard_view(request, admin_context):
    sites, unit = _scope(request)
    assessments = assess_sites(sites, unit=unit)
    table = selectors.unit_table(sites=sites, unit=unit)
    if request.GET.get("export") == "units":
        return _export_units(request, table)
    if request.GET.get("export") == "indicators":
        return _export_indicators(request, assessments)
    totals = [
        (key, label, sum(row[key] for row in table)) for key, label in selectors.DRILL_KINDS.items()
    ]
    rows = [(row["unit"], [(key, row[key]) for key in selectors.DRILL_KINDS]) for row in table]
    shares = availability.monthly_uptimes(sites)
    uptime = [
        (site, None if shares[site.pk] is None else round(shares[site.pk] * 100, 2))
        for site in sites
    ]
    context = {
        **admin_context,
        "title": _("Compliance dashboard"),
        "sites": list(selectors.open_sites()),
        "chosen_site": request.GET.get("site", ""),
        "unit": unit,
        "assessments": assessments,
        "rows": rows,
        "totals": totals,
        "kinds": selectors.DRILL_KINDS,
        "uptime": uptime,
        "charts": _charts(sites, unit),
        "VETO": VETO,
        "supervisions": supervised_units(),
    }
    return TemplateResponse(request, "admin/monitoring/dashboard.html", context)


def drill_view(request, kind, admin_context):
    if kind not in selectors.DRILL_KINDS:
        raise Http404
    sites, unit = _scope(request)
    chosen_unit = request.GET.get("unit")
    if chosen_unit:
        if unit is not None and str(unit.pk) != chosen_unit:
            raise Http404
        from columns.models import Unit

        unit = Unit.objects.filter(pk=chosen_unit).first()
        if unit is None:
            raise Http404
    rows = selectors.drill_down(kind, sites=sites, unit=unit)
    headers = [_("Item"), _("Site"), _("Column"), _("Unit"), _("Date"), _("Detail")]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"{selectors.DRILL_KINDS[kind]}.xlsx",
            [
                (
                    selectors.DRILL_KINDS[kind],
                    headers,
                    [
                        [r["item"], r["site"], r["column"], r["unit"], r["date"], r["detail"]]
                        for r in rows
                    ],
                )
            ],
            user=request.user,
            request=request,
        )
    context = {
        **admin_context,
        "title": f"{_('Compliance dashboard')} · {selectors.DRILL_KINDS[kind]}",
        "kind": kind,
        "unit": unit,
        "rows": rows,
        "headers": headers,
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/monitoring/drill.html", context)


def _export_units(request, table):
    headers = [_("Unit"), *selectors.DRILL_KINDS.values()]
    rows = [[str(r["unit"]), *(r[k] for k in selectors.DRILL_KINDS)] for r in table]
    return xlsx_response(
        f"{_('Units')}.xlsx", [(_("Units"), headers, rows)], user=request.user, request=request
    )


def _export_indicators(request, assessments):
    sheets = []
    headers = [_("Indicator"), _("Kind"), _("Triggered"), _("Points deducted"), _("Summary")]
    for assessment in assessments:
        rows = [
            [
                str(item.indicator.name),
                _("Veto") if item.indicator.kind == VETO else _("Deduction"),
                _("yes") if item.failed else _("no"),
                item.outcome.deducted,
                str(item.outcome.summary),
            ]
            for item in assessment.items
        ]
        rows.append([_("Score"), "", "", assessment.score, "；".join(assessment.reasons)])
        sheets.append((str(assessment.site), headers, rows))
        sheets.append(
            (
                f"{assessment.site}{_('evidence')}",
                [_("Indicator"), _("Item"), _("Detail"), _("Unit")],
                [
                    [str(item.indicator.name), e.label, str(e.detail), e.unit]
                    for item in assessment.items
                    for e in item.outcome.evidence
                ],
            )
        )
    return xlsx_response(f"{_('Indicators')}.xlsx", sheets, user=request.user, request=request)
