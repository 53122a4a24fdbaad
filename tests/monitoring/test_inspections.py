"""Spot checks (抽查): the sample, problems with deadlines, rectification, closing, the
published results and special supervision (专项督办) after two failures in a row."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from columns.models import Notification, Unit
from monitoring.inspections import sampling, services
from monitoring.inspections.models import (
    CampaignStatus,
    ProblemStatus,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
    SupervisionStatus,
)
from monitoring.inspections.selectors import inspected_units, supervised_units

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc```\xf8\x0f\x00\x01\x04\x01\x00_\xe5\xc3"
    b"K\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def clock(monkeypatch):
    """clock.move(days=…) moves the one clock (django.utils.timezone.now) forward."""
    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def move(self, **delta):
            self.offset += timedelta(**delta)
            monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    return Clock()


@pytest.fixture
def units(demo):
    return {u.short_name or u.name: u for u in Unit.objects.all()}


def unit(name):
    return Unit.objects.get(name=name)


def campaign_with(user_named, *, year, quarter, units_drawn, seed=None):
    """A campaign whose sample contains units_drawn: the seed is searched for, not faked."""
    population = list(inspected_units().values_list("pk", flat=True))
    wanted = {u.pk for u in units_drawn}
    seed = next(s for s in range(10_000) if wanted <= set(sampling.draw(population, s, 0.3)))
    return services.open_campaign(
        title=f"{year}年第{quarter}季度抽查",
        year=year,
        quarter=quarter,
        opened_by=user_named("inspector"),
        seed=seed,
    )


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


# --- the sample ---------------------------------------------------------------------------


def test_sample_is_at_least_30_percent_and_reproducible_from_its_seed(user_named):
    campaign = services.open_campaign(
        title="抽样测试", year=2030, quarter=1, opened_by=user_named("inspector")
    )
    population = sorted(inspected_units().values_list("pk", flat=True))
    drawn = sorted(campaign.samples.values_list("unit_id", flat=True))
    assert campaign.population == population
    assert len(drawn) >= 0.3 * len(population)
    assert set(drawn) <= set(population)
    # The recorded seed shows the same draw again, however often it is drawn.
    assert sampling.draw(campaign.population, campaign.seed, campaign.sample_ratio) == drawn
    assert sampling.draw(population, campaign.seed, "0.30") == drawn


def test_sample_sizes_round_up_and_different_seeds_differ():
    assert sampling.sample_size(6, 0.3) == 2
    assert sampling.sample_size(10, 0.3) == 3
    assert sampling.sample_size(11, 0.3) == 4
    assert sampling.sample_size(1, 0.3) == 1
    population = list(range(1, 101))
    draws = {tuple(sampling.draw(population, seed, 0.3)) for seed in range(20)}
    assert len(draws) > 1 and all(len(d) == 30 for d in draws)


def test_campaign_page_shows_seed_and_that_the_draw_is_reproduced(login_as, user_named):
    campaign = services.open_campaign(
        title="抽样展示", year=2030, quarter=2, opened_by=user_named("inspector"), seed=4242
    )
    html = (
        login_as("inspector")
        .get(reverse("admin:monitoring_spotcheckcampaign_change", args=[campaign.pk]))
        .content.decode()
    )
    assert "4242" in html
    assert "用此随机数种子重新抽样，结果相同" in html


def test_sample_ratio_below_30_percent_is_refused(login_as):
    before = SpotCheckCampaign.objects.count()
    response = login_as("inspector").post(
        reverse("admin:monitoring_spotcheckcampaign_add"),
        {"title": "比例太低", "year": 2030, "quarter": 1, "ratio": "0.20", "seed": ""},
    )
    assert response.status_code == 200
    assert "抽样比例须在0.30到1之间" in response.content.decode()
    assert SpotCheckCampaign.objects.count() == before


def test_only_an_inspector_opens_a_campaign(login_as):
    response = login_as("edu_liaison").post(
        reverse("admin:monitoring_spotcheckcampaign_add"),
        {"title": "越权", "year": 2030, "quarter": 1, "ratio": "0.30"},
    )
    assert response.status_code == 403
    assert not SpotCheckCampaign.objects.filter(title="越权").exists()


# --- problems and rectification ------------------------------------------------------------


def record(client, campaign, unit, **fields):
    data = {
        "unit": unit.pk,
        "category": "stale_column",
        "description": "教育动态栏目超过两周未更新。",
        "evidence_url": "https://www.example.gov.cn/columns/news/dept-news/edu-news/",
        "deadline": in_days(10).isoformat(),
        **fields,
    }
    return client.post(
        reverse("admin:monitoring_spotcheckcampaign_act", args=[campaign.pk, "problem"]),
        data,
        follow=True,
    )


def test_campaign_end_to_end_through_the_admin_and_the_portal(
    login_as, user_named, clock, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2030, quarter=3, units_drawn=[edu])
    inspector = login_as("inspector")
    screenshot = SimpleUploadedFile("shot.png", PNG, content_type="image/png")
    response = record(inspector, campaign, edu, screenshot=screenshot)
    assert "问题已记录" in response.content.decode()
    problem = SpotCheckProblem.objects.get(campaign=campaign)
    assert problem.screenshot.name.endswith(".png")
    assert Notification.objects.filter(
        recipient__username="edu_liaison", key=f"problem:{problem.pk}:recorded"
    ).exists()
    # The evidence is served to the inspector and the unit, and to nobody else.
    shot_url = reverse("admin:monitoring_spotcheckproblem_screenshot", args=[problem.pk])
    # The stored picture is PNG re-encoded without its metadata (columns.media).
    with problem.screenshot.open("rb") as stored:
        assert b"".join(inspector.get(shot_url).streaming_content) == stored.read()
    assert login_as("edu_liaison").get(shot_url).status_code == 200
    assert login_as("fin_liaison").get(shot_url).status_code == 404

    # The unit answers from its problem page; another unit cannot even open it.
    assert (
        login_as("fin_liaison")
        .get(reverse("admin:monitoring_spotcheckproblem_change", args=[problem.pk]))
        .status_code
        == 404
    )
    liaison = login_as("edu_liaison")
    liaison.post(
        reverse("admin:monitoring_spotcheckproblem_act", args=[problem.pk, "answer"]),
        {"response": "已于当日补发三条教育动态。"},
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED

    # Sent back once, answered again, then verified.
    inspector.post(
        reverse("admin:monitoring_spotcheckproblem_act", args=[problem.pk, "send_back"]),
        {"comment": "栏目仍有空白子栏目。"},
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RETURNED
    liaison.post(
        reverse("admin:monitoring_spotcheckproblem_act", args=[problem.pk, "answer"]),
        {"response": "子栏目已补充内容。"},
    )
    inspector.post(reverse("admin:monitoring_spotcheckproblem_act", args=[problem.pk, "verify"]))
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.VERIFIED

    # Results are not public before they are published.
    assert login_as("inspector").get(campaign.get_absolute_url()).status_code == 404
    inspector.post(reverse("admin:monitoring_spotcheckcampaign_act", args=[campaign.pk, "close"]))
    inspector.post(
        reverse("admin:monitoring_spotcheckcampaign_act", args=[campaign.pk, "publish"]),
        {"summary": "本次抽查发现问题1个，已全部整改。"},
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert campaign.samples.get(unit=edu).rectified is True
    page = login_as("inspector").get(campaign.get_absolute_url()).content.decode()
    assert "区教育局" in page and "已整改" in page and "本次抽查发现问题1个" in page
    index = login_as("inspector").get("/inspections/").content.decode()
    assert campaign.title in index


def test_deadline_in_the_past_is_refused_and_nothing_is_recorded(login_as, user_named):
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2030, quarter=4, units_drawn=[edu])
    for deadline in (in_days(-1), timezone.localdate()):
        html = record(login_as("inspector"), campaign, edu, deadline=deadline.isoformat())
        assert "整改期限" in html.content.decode() and "不是将来的日期" in html.content.decode()
    assert not SpotCheckProblem.objects.filter(campaign=campaign).exists()
    assert not Notification.objects.filter(key__startswith="problem:").exists()


def test_problem_for_a_unit_not_drawn_is_refused(user_named):
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2031, quarter=1, units_drawn=[edu])
    outsider = (
        Unit.objects.exclude(pk__in=campaign.samples.values("unit_id"))
        .filter(columns__isnull=False)
        .first()
    )
    with pytest.raises(ValidationError, match="本次抽中的单位"):
        services.record_problem(
            campaign=campaign,
            unit=outsider,
            category="other",
            description="不在样本中",
            deadline=in_days(5),
            recorded_by=user_named("inspector"),
        )
    assert not campaign.problems.exists()


def test_campaign_cannot_close_while_a_deadline_runs(user_named, clock):
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2031, quarter=2, units_drawn=[edu])
    services.record_problem(
        campaign=campaign,
        unit=edu,
        category="blank_column",
        description="空白栏目",
        deadline=in_days(3),
        recorded_by=user_named("inspector"),
    )
    with pytest.raises(ValidationError, match="仍在整改期限内"):
        services.close_campaign(campaign=campaign, by=user_named("inspector"))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


# --- special supervision (专项督办) --------------------------------------------------------


def fail_campaign(user_named, clock, *, year, quarter, failing, also=()):
    """A closed campaign in which failing did not rectify its problem (and also did)."""
    inspector = user_named("inspector")
    campaign = campaign_with(user_named, year=year, quarter=quarter, units_drawn=[failing, *also])
    for unit_ in [failing, *also]:
        problem = services.record_problem(
            campaign=campaign,
            unit=unit_,
            category="broken_link",
            description="首页存在不可用链接",
            deadline=in_days(5),
            recorded_by=inspector,
        )
        if unit_ in also:
            liaison = {"区教育局": "edu_liaison", "区财政局": "fin_liaison"}[unit_.name]
            services.answer_problem(problem=problem, response="已修复", by=user_named(liaison))
            services.verify_problem(problem=problem, by=inspector, accept=True)
    clock.move(days=6)
    return services.close_campaign(campaign=campaign, by=inspector)


def test_two_failures_in_a_row_flag_special_supervision_until_cleared(
    user_named, clock, login_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    edu, fin = unit("区教育局"), unit("区财政局")
    first = fail_campaign(user_named, clock, year=2032, quarter=1, failing=edu, also=[fin])
    assert first.samples.get(unit=edu).rectified is False
    assert first.samples.get(unit=fin).rectified is True
    assert not SpecialSupervision.objects.exists()

    # Second campaign in a row: edu fails again, fin fails for the first time.
    second = fail_campaign(user_named, clock, year=2032, quarter=2, failing=edu)
    fin_sample = second.samples.filter(unit=fin).first()
    flag = SpecialSupervision.objects.get()
    assert flag.unit == edu and flag.campaign == second and flag.previous_campaign == first
    assert list(supervised_units()) == [flag]
    assert fin_sample is None or fin_sample.rectified is True
    dashboard = reverse("admin:monitoring_compliancedashboard_changelist")
    html = login_as("inspector").get(dashboard).content.decode()
    assert 'class="supervision-flags"' in html and "未按期整改 · 待提交书面检查" in html
    assert Notification.objects.filter(
        recipient__username="edu_liaison", key=f"supervision:{flag.pk}:opened"
    ).exists()

    # The unit uploads its written self-examination; the inspector clears the flag.
    login_as("edu_liaison").post(
        reverse("admin:monitoring_specialsupervision_act", args=[flag.pk, "submit"]),
        {"self_examination": SimpleUploadedFile("检查.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    flag.refresh_from_db()
    assert flag.status == SupervisionStatus.SUBMITTED
    assert list(supervised_units()) == [flag]
    login_as("inspector").post(
        reverse("admin:monitoring_specialsupervision_act", args=[flag.pk, "clear"])
    )
    flag.refresh_from_db()
    assert flag.status == SupervisionStatus.CLEARED
    assert list(supervised_units()) == []
    assert "supervision-flags" not in login_as("inspector").get(dashboard).content.decode()


def test_failure_with_a_clean_campaign_between_is_not_two_in_a_row(user_named, clock):
    edu, fin = unit("区教育局"), unit("区财政局")
    fail_campaign(user_named, clock, year=2033, quarter=1, failing=edu)
    fail_campaign(user_named, clock, year=2033, quarter=2, failing=fin, also=[edu])
    fail_campaign(user_named, clock, year=2033, quarter=3, failing=edu)
    assert not SpecialSupervision.objects.exists()


def test_self_examination_of_wrong_type_is_refused(user_named, clock, login_as):
    edu = unit("区教育局")
    fail_campaign(user_named, clock, year=2034, quarter=1, failing=edu)
    fail_campaign(user_named, clock, year=2034, quarter=2, failing=edu)
    flag = SpecialSupervision.objects.get(unit=edu)
    response = login_as("edu_liaison").post(
        reverse("admin:monitoring_specialsupervision_act", args=[flag.pk, "submit"]),
        {"self_examination": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
        follow=True,
    )
    assert "不能上传“exe”类型的附件" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == SupervisionStatus.AWAITING and not flag.self_examination


# --- reminders ------------------------------------------------------------------------------


def test_rectification_reminders_go_out_once(user_named, clock):
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2035, quarter=1, units_drawn=[edu])
    problem = services.record_problem(
        campaign=campaign,
        unit=edu,
        category="other",
        description="提醒测试",
        deadline=in_days(2),
        recorded_by=user_named("inspector"),
    )
    due_key = f"problem:{problem.pk}:due:{problem.deadline.isoformat()}"
    from monitoring.inspections.tasks import send_inspection_reminders

    send_inspection_reminders.apply()
    send_inspection_reminders.apply()
    assert Notification.objects.filter(key=due_key).count() == 1
    clock.move(days=3)
    send_inspection_reminders.apply()
    send_inspection_reminders.apply()
    overdue = Notification.objects.filter(key__startswith=f"problem:{problem.pk}:overdue")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == [
        "edu_liaison",
        "inspector",
    ]


def test_findings_from_monitoring_prefill_the_problem_form(user_named, login_as, demo):
    from columns.models import Column
    from monitoring.models import ColumnFreshness, FreshnessState

    column = Column.objects.get(site=demo, slug="edu-news")
    ColumnFreshness.objects.update_or_create(
        column=column,
        defaults={
            "state": FreshnessState.STALE,
            "since": timezone.now(),
            "last_published_at": timezone.now() - timedelta(days=30),
            "max_gap_days": 14,
            "checked_at": timezone.now(),
        },
    )
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2036, quarter=1, units_drawn=[edu])
    html = (
        login_as("inspector")
        .get(
            reverse("admin:monitoring_spotcheckcampaign_change", args=[campaign.pk])
            + f"?unit={edu.pk}"
        )
        .content.decode()
    )
    assert "“教育动态”" in html and 'data-category="stale_column"' in html
    assert "/columns/news/dept-news/edu-news/" in html


def test_beat_runs_the_deadlines_on_their_days():
    from portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    schedule = app.conf.beat_schedule
    monthly = schedule["inspections-monthly-scores"]
    annual = schedule["inspections-annual-reports"]
    daily = schedule["inspections-reminders"]
    assert monthly["schedule"].day_of_month == {1}
    assert annual["schedule"].day_of_month == {2} and annual["schedule"].month_of_year == {1}
    assert len(daily["schedule"].day_of_month) == 31
    for entry in (monthly, annual, daily):
        assert entry["task"] in app.tasks
