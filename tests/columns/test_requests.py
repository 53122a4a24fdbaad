"""Objections to an assignment (异议) and special-topic requests (专题申请), through the admin."""

import pytest
from django.core.exceptions import ValidationError

from columns.models import Column, ColumnObjection, OperationLog, SpecialTopicRequest
from columns.selectors import columns_for_user
from columns.services import decide_objection, file_objection

pytestmark = pytest.mark.django_db


def test_unit_files_objection_and_operator_accepts_it(login_as, column_at, unit_named, user_named):
    edu_news = column_at("news/dept-news/edu-news")
    gov = unit_named("区政府办公室")
    client = login_as("edu_liaison")
    response = client.post(
        "/admin/columns/columnobjection/add/",
        {"column": edu_news.pk, "reason": "该栏目内容由区政府办采编。", "proposed_unit": gov.pk},
    )
    assert response.status_code == 302
    objection = ColumnObjection.objects.get()
    assert (objection.unit.name, objection.status) == ("区教育局", "pending")
    assert user_named("operator").notifications.filter(kind="objection_filed").exists()

    operator = login_as("operator")
    response = operator.post(
        f"/admin/columns/columnobjection/{objection.pk}/decide/",
        {"decision": "accept", "reason": "同意，由区政府办负责。"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    edu_news.refresh_from_db()
    assert objection.status == "accepted"
    assert objection.decided_by == user_named("operator")
    assert objection.reassigned_to == gov
    assert edu_news.unit == gov
    assert edu_news not in columns_for_user(user_named("edu_liaison"))
    decided = user_named("edu_liaison").notifications.get(kind="objection_decided")
    assert "同意" in decided.body
    assert OperationLog.objects.filter(action="objection_decided", target_id=objection.pk).exists()
    # The filer sees the decision on the objection's page.
    html = client.get(f"/admin/columns/columnobjection/{objection.pk}/change/").content.decode()
    assert "同意，由区政府办负责。" in html


def test_operator_rejects_objection_with_a_reason(column_at, user_named):
    edu_news = column_at("news/dept-news/edu-news")
    objection = file_objection(
        column=edu_news, filed_by=user_named("edu_liaison"), reason="人手不足"
    )
    decide_objection(
        objection=objection,
        decided_by=user_named("operator"),
        accept=False,
        reason="属本单位职责，请加强人员配备。",
    )
    objection.refresh_from_db()
    edu_news.refresh_from_db()
    assert objection.status == "rejected"
    assert edu_news.unit.name == "区教育局"
    assert user_named("edu_liaison").notifications.filter(kind="objection_decided").exists()
    with pytest.raises(ValidationError, match="已经"):
        decide_objection(
            objection=objection,
            decided_by=user_named("operator"),
            accept=True,
            reason="改主意",
            new_unit=edu_news.unit,
        )


def test_objection_on_column_the_unit_does_not_own_is_refused(column_at, user_named, tree_state):
    before = tree_state()
    with pytest.raises(ValidationError) as error:
        file_objection(
            column=column_at("news/dept-news/fin-news"),
            filed_by=user_named("edu_liaison"),
            reason="不归我们",
        )
    assert "你单位不负责栏目「财政动态」" in " ".join(error.value.messages)
    assert tree_state() == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_objection_with_empty_reason_is_refused(login_as, column_at, tree_state, reason):
    before = tree_state()
    response = login_as("edu_liaison").post(
        "/admin/columns/columnobjection/add/",
        {"column": column_at("news/dept-news/edu-news").pk, "reason": reason},
    )
    assert response.status_code == 200
    assert (
        "这个字段是必填项" in response.content.decode() or "请填写理由" in response.content.decode()
    )
    assert tree_state() == before


def test_rejection_without_reason_is_refused(login_as, column_at, user_named):
    objection = file_objection(
        column=column_at("news/dept-news/edu-news"),
        filed_by=user_named("edu_liaison"),
        reason="人手不足",
    )
    response = login_as("operator").post(
        f"/admin/columns/columnobjection/{objection.pk}/decide/",
        {"decision": "reject", "reason": " "},
    )
    assert response.status_code == 200
    assert "请填写理由" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == "pending"
    assert not user_named("edu_liaison").notifications.filter(kind="objection_decided").exists()


def test_liaison_cannot_decide_objections(login_as, column_at, user_named):
    objection = file_objection(
        column=column_at("news/dept-news/edu-news"),
        filed_by=user_named("edu_liaison"),
        reason="人手不足",
    )
    response = login_as("edu_liaison").post(
        f"/admin/columns/columnobjection/{objection.pk}/decide/",
        {"decision": "accept", "reason": "自己批准"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == "pending"


def test_units_see_only_their_own_objections(login_as, column_at, user_named):
    file_objection(
        column=column_at("news/dept-news/fin-news"),
        filed_by=user_named("fin_liaison"),
        reason="财政局的异议理由",
    )
    html = login_as("edu_liaison").get("/admin/columns/columnobjection/").content.decode()
    assert "财政局的异议理由" not in html and "财政动态" not in html
    html = login_as("operator").get("/admin/columns/columnobjection/").content.decode()
    assert "财政动态" in html


def test_special_topic_request_approved_creates_the_units_column(
    login_as, column_at, user_named, demo
):
    topics = column_at("topics")
    client = login_as("edu_liaison")
    response = client.post(
        "/admin/columns/specialtopicrequest/add/",
        {
            "site": demo.pk,
            "parent": topics.pk,
            "name": "双减工作专栏",
            "slug": "double-reduction",
            "reason": "按市教育局要求开设。",
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-30",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    topic = SpecialTopicRequest.objects.get()
    assert user_named("operator").notifications.filter(kind="topic_requested").exists()

    response = login_as("operator").post(
        f"/admin/columns/specialtopicrequest/{topic.pk}/decide/",
        {"decision": "accept", "reason": ""},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    column = topic.column
    assert (topic.status, column.parent, column.unit.name) == ("accepted", topics, "区教育局")
    assert column.is_special_topic and column.category == "topic"
    assert str(column.topic_ends_on) == "2027-06-30"
    assert column in columns_for_user(user_named("edu_liaison"))
    assert "双减工作专栏" in client.get("/admin/columns/column/").content.decode()
    assert user_named("edu_liaison").notifications.filter(kind="topic_decided").exists()


def test_special_topic_request_rejected_needs_a_reason_and_creates_nothing(
    login_as, column_at, user_named, demo
):
    from columns.services import request_special_topic

    topic = request_special_topic(
        requested_by=user_named("edu_liaison"),
        site=demo,
        parent=column_at("topics"),
        name="临时专题",
        slug="temporary",
        reason="试一试",
    )
    columns = Column.objects.count()
    operator = login_as("operator")
    url = f"/admin/columns/specialtopicrequest/{topic.pk}/decide/"
    response = operator.post(url, {"decision": "reject", "reason": ""})
    assert "请填写理由" in response.content.decode()
    response = operator.post(url, {"decision": "reject", "reason": "与现有专题重复。"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.status, topic.decision_reason, topic.column) == (
        "rejected",
        "与现有专题重复。",
        None,
    )
    assert Column.objects.count() == columns


def test_special_topic_request_with_taken_slug_is_refused(login_as, column_at, demo):
    response = login_as("edu_liaison").post(
        "/admin/columns/specialtopicrequest/add/",
        {
            "site": demo.pk,
            "parent": column_at("topics").pk,
            "name": "又一个乡村振兴",
            "slug": "rural-revitalisation",
            "reason": "重复",
        },
    )
    assert response.status_code == 200
    assert "已有栏目使用" in response.content.decode()
    assert not SpecialTopicRequest.objects.exists()
