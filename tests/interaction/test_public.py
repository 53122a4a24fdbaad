"""The public list with its statistics, and the citizen's tracking page: both credentials,
rating, reopening, and answering the unit's question."""

from datetime import date

import pytest
from django.contrib.auth.hashers import make_password

from interaction import services
from interaction.models import Message, MessageStatus
from interaction.selectors import statistics

pytestmark = pytest.mark.django_db

TRACK = "/interaction/messages/track/"


def answer(message, user_named, body="答复内容"):
    services.draft_reply(message=message, by=user_named("edu_liaison"), body=body)
    services.approve_reply(message=message, by=user_named("edu_head"))
    message.refresh_from_db()
    return message


def sign_in_to_track(client, message, password):
    return client.post(TRACK, {"code": message.tracking_code, "password": password})


def test_public_list_shows_published_exchanges_only(client, routed, user_named):
    public = answer(
        routed(subject="可以公开的留言", publish_allowed=True), user_named, body="公开答复"
    )
    private = answer(routed(subject="不公开的留言", publish_allowed=False), user_named)
    routed(subject="尚未答复的留言")
    page = client.get("/interaction/messages/").content.decode()
    assert "可以公开的留言" in page and "公开答复" in page and "区教育局" in page
    assert "不公开的留言" not in page and "尚未答复的留言" not in page
    assert client.get(f"/interaction/messages/{private.pk}/").status_code == 404
    detail = client.get(public.get_absolute_url()).content.decode()
    for label in ["受理日期", "答复日期", "答复部门", "公开答复"]:
        assert label in detail


def test_statistics_by_month_and_unit(clock, client, routed, user_named):
    clock.on(date(2024, 9, 30))
    on_time = routed(subject="按时")
    late = routed(subject="超期")
    routed(subject="未办")
    clock.on(date(2024, 10, 9))
    answer(on_time, user_named)
    clock.on(date(2024, 10, 17))
    answer(late, user_named)
    rows = [
        r
        for r in statistics(now=clock.now)
        if r["unit__name"] == "区教育局" and r["month"].date() == date(2024, 9, 1)
    ]
    assert len(rows) == 1
    row = rows[0]
    assert (row["received"], row["answered"], row["on_time"], row["overdue"]) == (3, 2, 1, 2)
    # 2 working days (8, 9 Oct) and 9 working days (to 17 Oct): 5.5 on average.
    assert row["average_working_days"] == pytest.approx(5.5)
    page = client.get("/interaction/messages/").content.decode()
    assert "2024-09" in page and "5.5" in page


def test_wrong_tracking_password_gets_a_chinese_message(client, submit):
    message, _password = submit()
    response = client.post(TRACK, {"code": message.tracking_code, "password": "WRONG123"})
    assert "留言编号或查询密码不正确" in response.content.decode()
    assert client.get(f"{TRACK}status/").status_code == 404
    response = client.post(TRACK, {"code": "NOSUCHCODE", "password": "WRONG123"})
    assert "留言编号或查询密码不正确" in response.content.decode()


def test_repeated_wrong_passwords_are_refused(client, submit, settings):
    settings.INTERACTION_TRACKING_ATTEMPTS_PER_HOUR = 3
    message, password = submit()
    for _attempt in range(3):
        client.post(TRACK, {"code": message.tracking_code, "password": "WRONG123"})
    response = sign_in_to_track(client, message, password)
    assert "错误次数过多" in response.content.decode()


def test_citizen_rates_and_reopens_once_from_the_tracking_page(client, routed, user_named):
    message = routed()
    password = "ABCD2345"
    Message.objects.filter(pk=message.pk).update(query_password=make_password(password))
    answer(message, user_named, body="第一次答复")
    sign_in_to_track(client, message, password)
    page = client.get(f"{TRACK}status/").content.decode()
    assert "第一次答复" in page and "评价答复" in page
    client.post(f"{TRACK}rate/", {"rating": "unsatisfied", "comment": "没说清楚"})
    message.refresh_from_db()
    assert message.status == MessageStatus.RATED
    response = client.post(f"{TRACK}reopen/", {"reason": ""})
    assert "这个字段是必须的" in response.content.decode()
    client.post(f"{TRACK}reopen/", {"reason": "请说明办理时限"})
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED and message.reopened_at


def test_citizen_answers_the_units_question(client, routed, user_named):
    message = routed()
    Message.objects.filter(pk=message.pk).update(query_password=make_password("PASS2345"))
    services.request_info(message=message, by=user_named("edu_liaison"), question="请提供门牌号")
    sign_in_to_track(client, message, "PASS2345")
    assert "请提供门牌号" in client.get(f"{TRACK}status/").content.decode()
    client.post(f"{TRACK}supply/", {"text": "人民大道1号"})
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED
    assert message.events.filter(action="supply_info", comment="人民大道1号").exists()
