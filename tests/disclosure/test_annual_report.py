"""The 年报 table of 依申请公开 counted from the records: received by applicant type, carried
in and out across the year's end, outcomes by reply type and ground, the hand-entered appeal
figures; shown on the 信息公开 annual report page, equal to the database's own counts."""

import re
from datetime import date

import pytest

from disclosure import services, tasks
from disclosure.models import AppealCount, DisclosureRequest
from disclosure.selectors import annual_report

pytestmark = pytest.mark.django_db

REPORTS = "/xxgk/annual-reports/"


def answer(request, user_named, reply_type, ground=""):
    services.draft_reply(
        request=request, by=user_named("edu_liaison"), reply_type=reply_type, ground=ground
    )
    services.approve_reply(request=request, by=user_named("edu_head"))


def table_row(page, key):
    row = re.search(rf'<tr data-row="{re.escape(key)}">(.*?)</tr>', page, re.S).group(1)
    return [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", row)]


@pytest.fixture
def year_2025(clock, assigned, user_named):
    """Requests around 2025: one carried in from 2024, four new, one carried out to 2026."""
    clock.on(date(2024, 12, 20))
    carried_in = assigned(applicant_type="person")
    clock.on(date(2025, 3, 3))
    partial = assigned(
        applicant_type="commercial", id_type="credit_code", id_number="91520102MA6DX8XX3L"
    )
    withheld = assigned()
    withdrawn = assigned(
        applicant_type="legal_services", id_type="credit_code", id_number="31520000MD0123456X"
    )
    answer(carried_in, user_named, "disclosed")
    answer(partial, user_named, "partial", "third_party")
    answer(withheld, user_named, "withheld", "process")
    services.request_clarification(
        request=withdrawn, by=user_named("edu_liaison"), question="请说明"
    )
    clock.on(date(2025, 4, 30))
    tasks.withdraw_unclarified_requests()
    clock.on(date(2025, 12, 29))
    assigned(description="年末收到，次年答复")
    AppealCount.objects.create(
        site=carried_in.site, year=2025, kind="reconsideration", upheld=1, pending=1
    )
    clock.on(date(2026, 1, 5))


def test_counts_by_applicant_type_and_outcome(year_2025, demo):
    report = annual_report(demo, 2025)
    # Columns: person, commercial, research, public interest, legal services, other.
    assert report["received"]["counts"] == [2, 1, 0, 0, 1, 0]
    assert report["carried_in"]["counts"] == [1, 0, 0, 0, 0, 0]
    rows = {row["key"]: row["counts"] for row in report["outcomes"]}
    assert rows["disclosed"] == [1, 0, 0, 0, 0, 0]
    assert rows["partial"] == [0, 1, 0, 0, 0, 0]
    assert rows["withheld-process"] == [1, 0, 0, 0, 0, 0]
    assert rows["other-withdrawn"] == [0, 0, 0, 0, 1, 0]
    assert report["concluded"]["total"] == 4
    assert report["carried_out"]["counts"] == [1, 0, 0, 0, 0, 0]
    # Every request is either concluded in the year or carried over.
    assert (
        report["received"]["total"] + report["carried_in"]["total"]
        == report["concluded"]["total"] + report["carried_out"]["total"]
    )
    assert annual_report(demo, 2026)["carried_in"]["total"] == 1


def test_report_page_shows_the_table_equal_to_database_counts(year_2025, client, demo):
    page = client.get(REPORTS, {"year": "2025"}).content.decode()
    requests = DisclosureRequest.objects.filter(site=demo)
    assert table_row(page, "received")[-1] == requests.filter(received_at__year=2025).count()
    assert (
        table_row(page, "partial")[-1]
        == requests.filter(reply_type="partial", concluded_at__year=2025).count()
    )
    assert table_row(page, "concluded")[-1] == requests.filter(concluded_at__year=2025).count()
    assert (
        table_row(page, "carried_out")[-1]
        == requests.filter(received_at__year__lte=2025)
        .exclude(concluded_at__year__lte=2025)
        .count()
    )
    appeal = re.search(
        r'id="appeal-table".*?<tbody><tr><th scope="row">[^<]*</th>(.*?)</tr>', page, re.S
    )
    assert re.findall(r"<td>(\d+)</td>", appeal.group(1)) == ["1", "0", "0", "1", "2"]


def test_demo_year_report_equals_database_counts(client, demo):
    year = DisclosureRequest.objects.filter(site=demo).latest("received_at").received_at.year
    page = client.get(REPORTS, {"year": str(year)}).content.decode()
    requests = DisclosureRequest.objects.filter(site=demo)
    received = requests.filter(received_at__year=year).count()
    assert received
    assert table_row(page, "received")[-1] == received
    assert table_row(page, "concluded")[-1] == requests.filter(concluded_at__year=year).count()
    for reply_type in ("disclosed", "partial"):
        assert (
            table_row(page, reply_type)[-1]
            == requests.filter(reply_type=reply_type, concluded_at__year=year).count()
        )


def test_a_year_out_of_range_is_a_clear_400(client, demo):
    response = client.get(REPORTS, {"year": "1900"})
    assert response.status_code == 400
