"""Public pages of inspection on the portal: spot-check results, the monthly score tables,
the year-end ranking and the published annual reports."""

from django.shortcuts import get_object_or_404, render

from . import reports, selectors
from .exports import xlsx_response


def index(request):
    """监督检查 — everything the inspectors have published."""
    months = list(selectors.published_months())
    return render(
        request,
        "monitoring/inspections/index.html",
        {
            "campaigns": selectors.published_campaigns(),
            "months": months,
            "years": sorted({m.year for m in months}, reverse=True),
            "reports": selectors.published_reports().order_by("-year", "kind", "site"),
        },
    )


def campaign(request, pk):
    """抽查结果 — the sampled units, their problems and whether each rectified."""
    campaign = get_object_or_404(selectors.published_campaigns(), pk=pk)
    return render(
        request,
        "monitoring/inspections/campaign.html",
        {"campaign": campaign, "results": selectors.campaign_results(campaign)},
    )


def month_table(request, year, month):
    """月度考评表 — the month's confirmed scores, ranked."""
    assessment = get_object_or_404(selectors.published_months(), year=year, month=month)
    return render(
        request,
        "monitoring/inspections/month.html",
        {
            "month": assessment,
            "rules": assessment.rule_set.rules.all(),
            "scores": selectors.monthly_table(assessment),
        },
    )


def year_ranking(request, year):
    """年度排名 — the year's ranking with prizes and failing units named."""
    rows = selectors.year_ranking(year)
    return render(
        request,
        "monitoring/inspections/ranking.html",
        {"year": year, "rows": rows, "months": selectors.published_months(year)},
    )


def _published_report(pk):
    return get_object_or_404(selectors.published_reports(), pk=pk)


def report(request, pk):
    """年度工作报表 — a published annual report; printable."""
    annual = _published_report(pk)
    return render(
        request,
        "monitoring/inspections/report.html",
        {"report": annual, "sections": reports.sections(annual)},
    )


def report_xlsx(request, pk):
    return xlsx_response(_published_report(pk))
