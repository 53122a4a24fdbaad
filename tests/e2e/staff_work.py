"""The staff's work for the browser tests: what waits in the demo (a message to answer, an
article to review), and, put on the desks through the services, what the demo leaves out: a
column objection and a special-topic request for the operator, a spot-check problem open and
one answered for the inspector, a coming offline window."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from columns import offline
from columns import services as column_services
from columns.models import Column, Site, Unit
from interaction.selectors import inbox
from monitoring.inspections import sampling
from monitoring.inspections import services as inspections
from monitoring.inspections.selectors import inspected_units
from publishing.selectors import review_inbox


def user(username):
    return get_user_model().objects.get(username=username)


def inbox_message(username, section, **filters):
    """The most urgent message in section of username's mailbox to-do (待办)."""
    return inbox(user(username))[section].filter(**filters).first()


def inbox_article(username):
    """The review run waiting longest for username (待我审核)."""
    return review_inbox(user(username)).first()


def edu_news():
    return Column.objects.get(site__site_code="5201020001", slug="edu-news")


def objection():
    """区教育局 objects to being responsible for its news column (栏目异议)."""
    return column_services.file_objection(
        column=edu_news(),
        filed_by=user("edu_liaison"),
        reason="该栏目内容由区政府办公室统一发布，请调整责任单位。",
        proposed_unit=Unit.objects.get(name="区政府办公室"),
    )


def topic_request():
    """区教育局 asks for a special-topic column (专题申请)."""
    column = edu_news()
    return column_services.request_special_topic(
        requested_by=user("edu_liaison"),
        site=column.site,
        parent=column.parent,
        name="2026年秋季招生专题",
        slug="enrolment-2026",
        reason="集中发布秋季招生政策和问答。",
    )


def problems():
    """A spot-check campaign that drew 区教育局, with one problem open and one answered."""
    inspector = user("inspector")
    edu = Unit.objects.get(name="区教育局")
    population = list(inspected_units().values_list("pk", flat=True))
    seed = next(s for s in range(10_000) if edu.pk in sampling.draw(population, s, "0.30"))
    campaign = inspections.open_campaign(
        title="2026年第四季度抽查", year=2026, quarter=4, opened_by=inspector, seed=seed
    )
    recorded = [
        inspections.record_problem(
            campaign=campaign,
            unit=edu,
            category=category,
            description=description,
            deadline=timezone.localdate() + timedelta(days=7),
            recorded_by=inspector,
        )
        for category, description in (
            ("stale_column", "“教育动态”栏目超过两周未更新。"),
            ("broken_link", "首页有一处链接无法打开。"),
        )
    ]
    inspections.answer_problem(
        problem=recorded[1], response="已修复该链接。", by=user("edu_liaison")
    )
    return recorded


def offline_window():
    """The 区教育局 site goes offline for a day next month (临时下线)."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=30)
    return offline.schedule_offline(
        site=Site.objects.get(site_code="5201020002"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        reason="机房搬迁。",
        by=user("operator"),
    )
