"""A day of each role in a real browser, from the 工作台: start at the login page, type the
credentials, land on the workbench (axe-core: 0 violations), and do the day's work by
following its links, never typed addresses; each outcome is checked in the database and on
the page, with a screenshot at the key step (test-artifacts/)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.models import ColumnObjection, OfflineWindow, RequestStatus, Site, Unit
from interaction.models import ExtensionRequest, MailboxPolicy, Message, MessageStatus
from interaction.services import calendar_health
from monitoring.inspections.models import ProblemStatus
from publishing.models import Article, ArticleStatus, ReviewDecision

from . import staff_work
from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_to_workbench(page, username):
    """Log in through the form, land on /admin/ (the workbench), check it with axe."""
    sign_in(page, username)
    assert page.locator("h1").first.inner_text() == "工作台"
    screenshot(page, f"day-{username}-workbench")
    assert_accessible(page)


def back_to_workbench(page):
    """The header's link, on every staff page, leads back to the workbench."""
    page.locator("#site-name a").click()
    page.wait_for_url("**/admin/")


def act(page, button):
    """Press a button of an action form; the page it leads to confirms the action."""
    with page.expect_navigation():
        button.click()
    assert page.locator(".messagelist .error").count() == 0, page.locator(
        ".messagelist"
    ).inner_text()
    assert page.locator(".messagelist .success").count() == 1


def entry_item(page, key, name):
    """Open the workbench entry key's listed item named name."""
    page.locator(f"#entry-{key}").get_by_role("link", name=name).click()


def test_liaisons_day_returned_draft_new_article_and_a_message(page):
    returned = Article.objects.get(status=ArticleStatus.RETURNED, author__username="edu_liaison")
    message = staff_work.inbox_message("edu_liaison", "to_answer")
    sign_in_to_workbench(page, "edu_liaison")

    # 1. The returned draft: correct its title, save, submit it again.
    entry_item(page, "returned", returned.title)
    page.wait_for_url(f"**/publishing/article/{returned.pk}/change/**")
    page.fill("#id_title", f"{returned.title}（已修改）")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_url(f"**/publishing/article/{returned.pk}/change/**")
    act(page, page.get_by_role("button", name="提交审核"))
    returned.refresh_from_db()
    assert returned.status == ArticleStatus.IN_REVIEW and returned.title.endswith("（已修改）")
    screenshot(page, "day-liaison-returned-resubmitted")

    # 2. A new article, written in the editor, submitted.
    back_to_workbench(page)
    page.locator("#entry-drafts h3 a").click()
    page.locator(".object-tools a.addlink").click()
    page.wait_for_url("**/publishing/article/add/**")
    page.fill("#id_title", "全区中小学开展秋季消防演练")
    page.select_option("#id_column", label="示例区人民政府 · 新闻动态 / 部门动态 / 教育动态")
    page.frame_locator("#id_body_ifr").locator("body").fill(
        "11月28日，全区中小学同步开展秋季消防疏散演练，师生有序撤离。"
    )
    screenshot(page, "day-liaison-new-article")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_url("**/publishing/article/*/change/**")
    article = Article.objects.get(title="全区中小学开展秋季消防演练")
    assert "消防疏散演练" in article.body and article.author.username == "edu_liaison"
    act(page, page.get_by_role("button", name="提交审核"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    # 3. A message of the unit: draft the reply, sent for approval.
    back_to_workbench(page)
    page.locator("#entry-to_answer").get_by_role("link", name=message.subject, exact=False).click()
    page.wait_for_url(f"**/interaction/message/{message.pk}/change/**")
    page.fill("#reply-body", "您好，已转学校核实，本周内答复您具体安排。")
    screenshot(page, "day-liaison-reply")
    act(page, page.locator("form[action$='/draft_reply/'] button"))
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLY_DRAFTED
    assert message.reply_body.startswith("您好，已转学校核实")


def review_from_the_workbench(page, username, run, message):
    """Approve run's current step and message's reply, each opened from 待我审核."""
    sign_in_to_workbench(page, username)
    entry_item(page, "to_review", run.article.title)
    page.wait_for_url(f"**/publishing/article/{run.article_id}/change/**")
    page.fill("#decision-comment", "同意。")
    screenshot(page, f"day-{username}-article")
    act(page, page.locator("button[value=approve]"))
    assert page.url.endswith("/inbox/")
    decision = ReviewDecision.objects.get(run=run, step_index=run.current_index)
    assert decision.decided_by.username == username and decision.outcome == "approve"

    back_to_workbench(page)
    page.locator("#entry-replies").get_by_role("link", name=message.subject, exact=False).click()
    page.wait_for_url(f"**/interaction/message/{message.pk}/change/**")
    assert message.reply_body in page.locator(".reply-review .reply-text").inner_text()
    screenshot(page, f"day-{username}-reply")
    act(page, page.locator("form[action$='/approve_reply/'] button.default"))


def test_reviewers_day_approve_an_article_and_a_reply(page):
    """The section head approves an article's step and a drafted reply; the deputy leader
    approves another article's step and a reply the head passed on to the leader."""
    head_run, head_message = (
        staff_work.inbox_article("edu_head"),
        staff_work.inbox_message("edu_head", "to_approve"),
    )
    deputy_run = staff_work.inbox_article("edu_deputy")
    deputy_message = staff_work.inbox_message("edu_deputy", "to_approve_as_leader")

    review_from_the_workbench(page, "edu_head", head_run, head_message)
    head_message.refresh_from_db()
    # The site's mailbox policy says whether the leader approves after the head.
    leader_too = MailboxPolicy.objects.filter(site=head_message.site, reply_needs_leader=True)
    assert head_message.status == (
        MessageStatus.REPLY_APPROVED if leader_too.exists() else MessageStatus.ANSWERED
    )

    page.context.clear_cookies()
    review_from_the_workbench(page, "edu_deputy", deputy_run, deputy_message)
    deputy_message.refresh_from_db()
    assert deputy_message.status == MessageStatus.ANSWERED
    assert deputy_message.answered_at is not None


def test_dispatchers_day_route_transfer_and_extension(page):
    to_route = staff_work.inbox_message("dispatcher", "to_route", status=MessageStatus.RECEIVED)
    transfer = Message.objects.get(status=MessageStatus.TRANSFER_REQUESTED)
    extension = ExtensionRequest.objects.get(status=ExtensionRequest.Status.PENDING)
    due_before = extension.message.due_at
    sign_in_to_workbench(page, "dispatcher")

    entry_item(page, "to_route", f"{to_route.tracking_code} {to_route.subject}")
    page.select_option("#route-unit", label="区教育局")
    screenshot(page, "day-dispatcher-route")
    act(page, page.locator("form[action$='/route/'] button"))
    to_route.refresh_from_db()
    assert to_route.unit == Unit.objects.get(name="区教育局")
    assert to_route.status == MessageStatus.ASSIGNED

    back_to_workbench(page)
    entry_item(page, "transfers", f"{transfer.tracking_code} {transfer.subject}")
    page.select_option("#transfer-unit", label="区住房和城乡建设局")
    page.fill("#transfer-reason", "道路积水属住建局职责。")
    act(page, page.locator("form[action$='/decide_transfer/'] button[value=approve]"))
    transfer.refresh_from_db()
    assert transfer.unit == Unit.objects.get(name="区住房和城乡建设局")

    back_to_workbench(page)
    message = extension.message
    entry_item(page, "extensions", f"{message.tracking_code} {message.subject}")
    page.fill("#extension-decision-reason", "情况复杂，同意延期。")
    screenshot(page, "day-dispatcher-extension")
    act(page, page.locator("form[action$='/decide_extension/'] button[value=approve]"))
    extension.refresh_from_db()
    message.refresh_from_db()
    assert extension.status == ExtensionRequest.Status.APPROVED
    assert message.due_at > due_before


def test_inspectors_day_verdict_and_a_rectification(page, demo):
    _open, answered = staff_work.problems()
    sign_in_to_workbench(page, "inspector")
    entry_item(page, "verdicts", demo.name)
    page.wait_for_url(f"**/monitoring/compliancedashboard/?site={demo.pk}")
    assert demo.name in page.locator("#content").inner_text()
    screenshot(page, "day-inspector-verdict")

    back_to_workbench(page)
    page.locator("#entry-to_verify li a").first.click()
    page.wait_for_url(f"**/monitoring/spotcheckproblem/{answered.pk}/change/**")
    assert "已修复该链接。" in page.locator("#content").inner_text()
    page.fill("#comment", "已复核，链接可以打开。")
    screenshot(page, "day-inspector-rectification")
    act(page, page.locator("form[action$='/verify/'] button.default"))
    answered.refresh_from_db()
    assert answered.status == ProblemStatus.VERIFIED


def test_operators_day_objection_calendar_and_offline_window(page):
    objection = staff_work.objection()
    sign_in_to_workbench(page, "operator")

    # 1. The objection: reject it, with the reason, on its decision page.
    page.locator("#entry-objections li a").first.click()
    page.wait_for_url(f"**/columns/columnobjection/{objection.pk}/change/**")
    page.locator(".object-tools a[href$='/decide/']").click()
    page.get_by_label("驳回").check()
    page.fill("#id_reason", "栏目内容属教育局职责，维持原分配。")
    screenshot(page, "day-operator-objection")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/columnobjection/**")
    objection.refresh_from_db()
    assert objection.status == RequestStatus.REJECTED
    assert objection.decided_by.username == "operator"

    # 2. The working-day calendar: its health on the workbench, its years behind the link.
    back_to_workbench(page)
    status = calendar_health(timezone.localdate())["status"]
    assert page.locator(f"#entry-calendar .workbench-status.status-{status}").count() == 1
    page.locator("#entry-calendar h3 a").click()
    page.wait_for_url("**/interaction/calendaryear/")
    assert page.locator("#changelist").count() == 1

    # 3. A temporary offline window for the education site, three weeks ahead.
    back_to_workbench(page)
    page.locator("#entry-offline h3 a").click()
    page.locator(".object-tools a.addlink").click()
    edu_site = Site.objects.get(site_code="5201020002")
    starts = timezone.localtime() + timedelta(days=21)
    page.select_option("#id_site", str(edu_site.pk))
    page.fill("#id_starts_at_0", starts.strftime("%Y-%m-%d"))
    page.fill("#id_starts_at_1", "20:00:00")
    page.fill("#id_ends_at_0", (starts + timedelta(days=1)).strftime("%Y-%m-%d"))
    page.fill("#id_ends_at_1", "08:00:00")
    page.fill("#id_reason", "机房搬迁，暂停访问。")
    screenshot(page, "day-operator-offline-window")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/columns/offlinewindow/**")
    window = OfflineWindow.objects.get(site=edu_site)
    assert window.reason == "机房搬迁，暂停访问。" and window.scheduled_by.username == "operator"
    assert edu_site.name in page.locator("#result_list").inner_text()
    assert ColumnObjection.objects.filter(status=RequestStatus.PENDING).count() == 0
