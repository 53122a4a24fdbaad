"""Demo requests for disclosure: one in each state of the lifecycle over the last weeks of the
demo year, made through the real services at past moments of the one clock, so that the
annual report's table and the units' to-do lists have something to show. Running load() twice
changes nothing."""

from contextlib import contextmanager
from datetime import datetime, time
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from columns.models import Site, Unit
from interaction.working_days import WorkingCalendar

from . import services
from .models import DisclosureRequest

#: The demo applicants: type, name, document, number, phone, e-mail.
APPLICANTS = {
    "person": (
        "person",
        "赵明",
        "id_card",
        "11010519491231002X",
        "13800001001",
        "zhaoming@example.com",
    ),
    "company": (
        "commercial",
        "示例区宏达建设有限公司",
        "credit_code",
        "91520102MA6DX8XX3L",
        "0851-88881234",
        "office@hongda.example.com",
    ),
    "institute": (
        "research",
        "示例大学公共政策研究所",
        "credit_code",
        "12520000MB1234567Y",
        "0851-88885678",
        "policy@univ.example.edu.cn",
    ),
    "charity": (
        "public_interest",
        "示例区助学公益协会",
        "credit_code",
        "51520102MJ0000001A",
        "13800001004",
        "",
    ),
    "lawyer": (
        "legal_services",
        "示例律师事务所",
        "credit_code",
        "31520000MD0123456X",
        "0851-88889999",
        "law@example.com",
    ),
}


@contextmanager
def _clock(working_days_ago, hour=10):
    """Run services as if it were that many working days before today, at hour."""
    calendar = WorkingCalendar.load()
    day = calendar.add_working_days(timezone.localdate(), -working_days_ago)
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(username):
    return get_user_model().objects.get(username=username)


def _apply(site, when, applicant, description, unit=None, delivery="email"):
    kind, name, id_type, number, phone, email = APPLICANTS[applicant]
    with _clock(when):
        request, _password = services.submit_request(
            site=site,
            applicant_type=kind,
            name=name,
            id_type=id_type,
            id_number=number,
            phone=phone,
            email=email,
            address="示例区人民路1号",
            description=description,
            delivery_form=delivery,
            unit=unit,
        )
    return request


def _do(when, action, **kwargs):
    with _clock(when, hour=15):
        return action(**kwargs)


def _answer(request, unit_key, drafted, approved, reply_type, ground="", **extra):
    _do(
        drafted,
        services.draft_reply,
        request=request,
        by=_user(f"{unit_key}_liaison"),
        reply_type=reply_type,
        ground=ground,
        **extra,
    )
    return _do(approved, services.approve_reply, request=request, by=_user(f"{unit_key}_head"))


@transaction.atomic
def load():
    portal = Site.objects.get(site_code="5201020001")
    if DisclosureRequest.objects.filter(site=portal).exists():
        return
    units = {u.org_code: u for u in Unit.objects.all()}
    edu, fin = units["009401002"], units["009401003"]

    disclosed = _apply(portal, 30, "person", "2026年示例区中小学校服采购合同", edu)
    _answer(disclosed, "edu", 14, 12, "disclosed", body="合同全文见附件。")
    _do(
        11,
        services.record_delivery,
        request=disclosed,
        by=_user("edu_liaison"),
        note="电子邮件送达",
    )

    partial = _apply(
        portal, 25, "company", "示例区2026年市政道路改造项目招标评分细则及各投标人得分", fin
    )
    _do(
        23,
        services.start_consultation,
        request=partial,
        by=_user("fin_liaison"),
        third_party="示例区路桥工程有限公司",
    )
    _do(
        15,
        services.end_consultation,
        request=partial,
        by=_user("fin_liaison"),
        opinion="不同意公开其报价明细",
    )
    _answer(
        partial,
        "fin",
        9,
        8,
        "partial",
        "third_party",
        body="评分细则及得分汇总予以公开；报价明细涉及商业秘密，不予公开。",
    )

    _answer(
        _apply(portal, 15, "person", "区教育局关于学区调整的内部讨论记录", edu),
        "edu",
        6,
        5,
        "withheld",
        "process",
    )
    _answer(
        _apply(portal, 40, "institute", "2015年示例区财政专项资金绩效评价原始问卷", fin),
        "fin",
        27,
        25,
        "not_held",
    )

    withdrawn = _apply(portal, 45, "person", "关于那个项目的文件", edu)
    _do(
        44,
        services.request_clarification,
        request=withdrawn,
        by=_user("edu_liaison"),
        question="请说明所指项目的名称或文号",
        working_days=5,
    )
    with _clock(37):
        services.withdraw_unclarified()

    extended = _apply(
        portal, 22, "charity", "示例区2026年困难学生资助名单及资助标准", edu, delivery="paper"
    )
    extension = _do(
        5,
        services.request_extension,
        request=extended,
        by=_user("edu_liaison"),
        working_days=10,
        reason="资助名单涉及多所学校，需逐校核对并作隐私处理",
    )
    _do(4, services.decide_extension, extension=extension, by=_user("edu_deputy"), approve=True)

    clarifying = _apply(portal, 3, "person", "教育局的那份通知", edu)
    _do(
        2,
        services.request_clarification,
        request=clarifying,
        by=_user("edu_liaison"),
        question="请提供通知的标题、文号或发布时间",
    )

    drafted = _apply(portal, 10, "lawyer", "区财政局2025年度政府采购投诉处理决定书", fin)
    _do(
        2,
        services.draft_reply,
        request=drafted,
        by=_user("fin_liaison"),
        reply_type="already_public",
        body="已在本网站“政府采购”栏目公开，可直接查阅。",
    )

    _apply(portal, 1, "person", "示例区2026年老旧小区改造项目清单")
