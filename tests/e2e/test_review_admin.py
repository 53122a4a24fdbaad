"""三审 in a real browser: a reviewer signs in, finds the item in 待我审核, approves it with a
comment, and the printable review sheet shows the decision."""

import pytest

from publishing.models import ReviewDecision

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_section_head_approves_from_the_inbox_and_the_sheet_records_it(page):
    sign_in(page, "edu_head")
    page.goto("/admin/publishing/article/inbox/")
    title = "区教育局待初审：2026年第四季度工作动态"
    row = page.locator("table.inbox tr", has_text=title)
    assert row.count() == 1
    screenshot(page, "review-inbox")

    row.get_by_role("link", name=title).click()
    page.fill("textarea[name=comment]", "同意发布。")
    page.locator("button[value=approve]").click()
    page.wait_for_url("**/inbox/")
    assert page.locator("table.inbox tr", has_text=title).count() == 0

    decision = ReviewDecision.objects.get(run__article__title=title, step_index=0)
    assert decision.decided_by.username == "edu_head"
    assert decision.comment == "同意发布。"

    page.goto(f"/admin/publishing/article/{decision.run.article_id}/sheet/")
    sheet = page.locator("body").inner_text()
    assert "信息发布审核单" in sheet and "同意发布。" in sheet and "初审" in sheet
    page.emulate_media(media="print")
    screenshot(page, "review-sheet-print")
