"""Every staff page of the day passes axe-core (WCAG 2.1 A/AA) with 0 violations, for each
demo role: the workbench, every page its entries open and the first item of each, and the
forms of the day (article editor, Word import, revisions, 审核单, reply and review of messages,
分办, verdicts and rectifications, objections and topic requests with their decision pages,
calendar, offline windows, accounts, notifications, password, second factor, login).
Each page's count is in the run's summary (tests/conftest.py)."""

import pytest
from django.urls import reverse

from columns.models import Unit
from interaction.models import Message, MessageStatus
from portal.workbench import sections_for
from publishing.models import Article, ArticleStatus

from . import staff_work
from .conftest import axe_count, new_context, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def returned_article():
    return Article.objects.filter(
        status=ArticleStatus.RETURNED, author__username="edu_liaison"
    ).first()


def extra_pages(username):
    """The forms of the day that no workbench entry lists; for the inspector and the
    operator, the work the demo leaves out is put on their desks first."""
    if username == "edu_liaison":
        article = returned_article()
        return [
            reverse("admin:publishing_article_add"),
            reverse("admin:publishing_article_import"),
            reverse("admin:publishing_article_mine"),
            reverse("admin:publishing_article_revisions", args=[article.pk]),
            reverse("admin:publishing_article_sheet", args=[article.pk]),
            reverse("admin:interaction_message_changelist"),
            reverse("admin:columns_notification_changelist"),
            reverse("admin:columns_columnobjection_add"),
            reverse("admin:columns_specialtopicrequest_add"),
            reverse("admin:monitoring_spotcheckproblem_changelist"),
            reverse("admin:password_change"),
            reverse("second_factor"),
        ]
    if username == "dispatcher":
        held = Message.objects.filter(status=MessageStatus.HELD).first()
        return [
            reverse("admin:interaction_message_changelist"),
            reverse("admin:interaction_message_change", args=[held.pk]),
        ]
    if username == "inspector":
        problems = staff_work.problems()
        return [
            reverse("admin:monitoring_spotcheckcampaign_changelist"),
            reverse("admin:monitoring_spotcheckcampaign_change", args=[problems[0].campaign_id]),
            *(reverse("admin:monitoring_spotcheckproblem_change", args=[p.pk]) for p in problems),
        ]
    if username == "operator":
        objection = staff_work.objection()
        topic = staff_work.topic_request()
        return [
            reverse("admin:functions"),
            reverse("admin:columns_columnobjection_decide", args=[objection.pk]),
            reverse("admin:columns_specialtopicrequest_decide", args=[topic.pk]),
            reverse("admin:columns_offlinewindow_add"),
            reverse("admin:columns_offlinewindow_change", args=[staff_work.offline_window().pk]),
            reverse("admin:auth_user_changelist"),
            reverse("admin:auth_user_change", args=[staff_work.user("edu_liaison").pk]),
            reverse("admin:columns_unit_change", args=[Unit.objects.get(name="区教育局").pk]),
            reverse("admin:columns_notification_changelist"),
        ]
    return [reverse("admin:publishing_article_changelist")]


def daily_pages(username):
    """The extra forms first (they put the missing work on the desks), then what the
    workbench links: each entry's page and its first item."""
    extra = extra_pages(username)
    linked = []
    for section in sections_for(staff_work.user(username)):
        for entry in section.entries:
            linked += [entry.url, *(item.url for item in entry.items[:1])]
    return list(dict.fromkeys([reverse("admin:index"), *linked, *extra]))


ROLES = ["edu_liaison", "edu_head", "edu_deputy", "dispatcher", "inspector", "operator"]


@pytest.mark.parametrize("username", ROLES)
def test_every_roles_daily_pages_have_no_axe_violations(
    browser, live_server, demo, audit, username
):
    """Each role signs in in its own browser context; one test per role, so that the roles
    are shared out among the test processes."""
    found, console = {}, []
    paths = daily_pages(username)
    context = new_context(browser, live_server)
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    if username == ROLES[0]:
        page.goto(reverse("admin:login"))
        found["/admin/login/"] = axe_count(page, audit, "anonymous /admin/login/")
    sign_in(page, username)
    for path in paths:
        response = page.goto(path)
        assert response.ok, (username, path, response.status)
        if page.locator("textarea.tinymce").count():
            # The editor's scripts load after the page; on a loaded CI machine that can take
            # longer than Playwright's default 30 s.
            page.wait_for_load_state("networkidle", timeout=90_000)
        found[f"{username} {path}"] = axe_count(page, audit, f"{username} {path}")
    context.close()
    assert not any(found.values()), {path: v for path, v in found.items() if v}
    # The editor runs under its open-source licence, not in evaluation mode.
    assert not [text for text in console if "evaluation mode" in text], console
