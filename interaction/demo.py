"""Demo mailbox: messages in every state, spread over units and months, some near their
deadline and some overdue, all made through the real services, each action at the past
moment (at=) the story gives it. Running load() twice changes nothing."""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from columns.models import Site, Unit

from . import services
from .models import Channel, MailboxPolicy, Message, MessageKind, Rating
from .participation import demo as participation_demo
from .working_days import WorkingCalendar

User = get_user_model()
K = MessageKind

#: The demo citizens: name, phone, e-mail.
CITIZENS = [
    ("张伟", "13800000001", "zhangwei@example.com"),
    ("李娜", "13800000002", "lina@example.com"),
    ("王强", "13800000003", ""),
    ("刘洋", "13800000004", "liuyang@example.com"),
    ("陈静", "13800000005", ""),
]


class Story:
    """One demo message and the actions taken on it, each a working-day offset from today."""

    def __init__(self, calendar, today):
        self.calendar, self.today = calendar, today

    def at(self, working_days_ago, hour=10):
        day = self.calendar.add_working_days(self.today, -working_days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour)))


def _user(username):
    return User.objects.get(username=username)


def _submit(story, site, when, subject, kind, content, citizen, unit=None, **extra):
    name, phone, email = citizen
    message, _password = services.submit_message(
        site=site,
        kind=kind,
        subject=subject,
        content=content,
        name=name,
        phone=phone,
        email=email,
        requested_unit=unit,
        channel=Channel.UNIT if unit else extra.pop("channel", Channel.UNIFIED),
        at=story.at(when),
        **extra,
    )
    return message


def _routed(story, site, when, subject, kind, content, citizen, unit):
    """A message submitted and routed to unit by the dispatcher on the same day."""
    message = _submit(story, site, when, subject, kind, content, citizen)
    _do(story, when, services.route, message=message, by=_user("dispatcher"), unit=unit)
    message.refresh_from_db()
    return message


def _do(story, when, action, **kwargs):
    return action(**kwargs, at=story.at(when, hour=15))


def _answer(story, message, unit_key, drafted, approved, body):
    _do(
        story,
        drafted,
        services.draft_reply,
        message=message,
        by=_user(f"{unit_key}_liaison"),
        body=body,
    )
    message.refresh_from_db()
    return _do(
        story, approved, services.approve_reply, message=message, by=_user(f"{unit_key}_head")
    )


@transaction.atomic
def load():
    participation_demo.load()
    portal = Site.objects.get(site_code="5201020001")
    edu_site = Site.objects.get(site_code="5201020002")
    # The education sub-site chooses 2 working days for website errors [G九(三)] and has its
    # leader approve replies; the portal keeps the regulations' defaults.
    MailboxPolicy.objects.get_or_create(
        site=edu_site, defaults={"site_error_days": 2, "reply_needs_leader": True}
    )
    MailboxPolicy.objects.get_or_create(site=portal)
    if Message.objects.exists():
        return
    story = Story(WorkingCalendar.load(), timezone.localdate())
    units = {u.org_code: u for u in Unit.objects.all()}
    edu, fin = units["009401002"], units["009401003"]
    health, housing = units["009401004"], units["009401005"]
    dispatcher = _user("dispatcher")
    c = CITIZENS

    # Answered exchanges over the last months, published, for the list and statistics:
    # (working days ago, subject, kind, unit, unit's account prefix, working days to answer).
    history = [
        (
            60,
            "学区划分什么时候公布？",
            K.CONSULTATION,
            edu,
            "edu",
            4,
            "今年的学区划分方案将于5月下旬在教育局网站公布，请关注“通知公告”栏目。",
        ),
        (
            45,
            "建议增加社区图书室开放时间",
            K.SUGGESTION,
            edu,
            "edu",
            9,
            "感谢您的建议，我局已协调各社区图书室在周末延长开放两小时。",
        ),
        (
            40,
            "惠民补贴何时发放到账？",
            K.CONSULTATION,
            fin,
            "fin",
            5,
            "2026年度惠民补贴已于本月分两批发放，如未到账请携身份证到街道财政所查询。",
        ),
        (
            30,
            "政府采购公告附件无法下载",
            K.SITE_ERROR,
            fin,
            "fin",
            1,
            "附件链接已修复，感谢您的指正。",
        ),
        (22, "小区供暖不热需要处理", K.HANDLING, housing, None, None, None),
        (18, "疫苗接种点的开放时间", K.CONSULTATION, health, None, None, None),
    ]
    for index, (ago, subject, kind, unit, key, took, reply) in enumerate(history):
        message = _submit(
            story, portal, ago, subject, kind, f"{subject}请相关部门答复。", c[index % len(c)]
        )
        _do(story, ago, services.route, message=message, by=dispatcher, unit=unit)
        if key:
            message.refresh_from_db()
            _answer(story, message, key, ago - took, ago - took, reply)
            if index % 2 == 0:
                message.refresh_from_db()
                _do(story, ago - took - 1, services.rate, message=message, rating=Rating.SATISFIED)

    # Open messages in every state, some near their deadline and some overdue.
    _submit(
        story,
        portal,
        0,
        "网站首页图片无法显示",
        K.SITE_ERROR,
        "首页“要闻”栏目的图片无法显示。",
        c[0],
        page_url="http://localhost/",
    )
    _submit(
        story,
        portal,
        0,
        "反映文件外传问题",
        K.COMPLAINT,
        "网上流传一份标注“内部资料”的文件，请核实。",
        c[1],
    )  # held by the content checker

    near = _submit(
        story,
        portal,
        6,
        "教师资格证认定材料咨询",
        K.CONSULTATION,
        "请问教师资格证认定需要哪些材料？",
        c[2],
    )
    _do(story, 6, services.route, message=near, by=dispatcher, unit=edu)

    overdue = _submit(
        story,
        portal,
        11,
        "专项资金使用情况公开",
        K.CONSULTATION,
        "请公开去年专项资金的使用情况。",
        c[3],
    )
    _do(story, 10, services.route, message=overdue, by=dispatcher, unit=fin)

    transfer = _submit(story, portal, 2, "道路积水问题", K.HANDLING, "文教路下雨后积水严重。", c[4])
    _do(story, 2, services.route, message=transfer, by=dispatcher, unit=edu)
    transfer.refresh_from_db()
    _do(
        story,
        1,
        services.request_transfer,
        message=transfer,
        by=_user("edu_liaison"),
        reason="道路积水属住建局职责，请转住建局办理。",
    )

    info = _routed(
        story, portal, 5, "个人所得税退税进度", K.HANDLING, "我去年申请的退税还没到账。", c[0], fin
    )
    _do(
        story,
        3,
        services.request_info,
        message=info,
        by=_user("fin_liaison"),
        question="请补充申请退税的日期和申请编号。",
    )

    drafted = _routed(
        story, portal, 4, "课后服务收费标准", K.CONSULTATION, "课后服务如何收费？", c[1], edu
    )
    _do(
        story,
        1,
        services.draft_reply,
        message=drafted,
        by=_user("edu_liaison"),
        body="课后服务按学期收费，标准为每生每学期300元，家庭经济困难学生免收。",
    )

    leader = _routed(
        story,
        edu_site,
        3,
        "招生咨询电话无人接听",
        K.COMPLAINT,
        "连续三天拨打招生咨询电话无人接听。",
        c[2],
        edu,
    )
    _answer(story, leader, "edu", 1, 0, "已核实，因线路故障导致，现已修复并增加一条咨询专线。")

    extended = _routed(
        story,
        portal,
        9,
        "老旧小区改造补助申请",
        K.HANDLING,
        "我们小区申请改造补助的进度如何？",
        c[3],
        fin,
    )
    extension = _do(
        story,
        2,
        services.request_extension,
        message=extended,
        by=_user("fin_liaison"),
        working_days=5,
        reason="需要会同住建局现场核查。",
    )
    _do(story, 1, services.decide_extension, extension=extension, by=dispatcher, approve=True)

    pending = _routed(
        story,
        portal,
        7,
        "预算公开表格数据不一致",
        K.SUGGESTION,
        "预算公开表三与表五的合计数不一致。",
        c[4],
        fin,
    )
    _do(
        story,
        1,
        services.request_extension,
        message=pending,
        by=_user("fin_liaison"),
        working_days=3,
        reason="需要预算科逐项核对。",
    )

    retyped = _submit(
        story,
        portal,
        3,
        "学校周边交通安全",
        K.CONSULTATION,
        "学校门口上下学时段交通混乱，请求处理。",
        c[0],
    )
    _do(
        story,
        3,
        services.change_kind,
        message=retyped,
        by=dispatcher,
        kind=K.HANDLING,
        reason="需要协调交警部门现场处置。",
    )
    retyped.refresh_from_db()
    _do(story, 3, services.route, message=retyped, by=dispatcher, unit=edu)

    unhappy = _routed(
        story,
        portal,
        12,
        "奖学金评定结果公示",
        K.CONSULTATION,
        "奖学金评定结果在哪里公示？",
        c[1],
        edu,
    )
    _answer(story, unhappy, "edu", 8, 7, "评定结果已在学校公告栏公示。")
    unhappy.refresh_from_db()
    _do(
        story,
        6,
        services.rate,
        message=unhappy,
        rating=Rating.UNSATISFIED,
        comment="希望在网上也公示。",
    )

    answered = _routed(
        story,
        portal,
        8,
        "城乡居民医保缴费渠道",
        K.CONSULTATION,
        "城乡居民医保可以在网上缴费吗？",
        c[2],
        fin,
    )
    _answer(story, answered, "fin", 3, 2, "可以通过税务局小程序或银行网点缴纳。")

    original = _submit(
        story, portal, 1, "幼儿园报名时间", K.CONSULTATION, "今年幼儿园什么时候报名？", c[3]
    )
    duplicate = _submit(
        story, portal, 1, "幼儿园报名时间（重复）", K.CONSULTATION, "请问幼儿园报名时间？", c[3]
    )
    _do(story, 0, services.merge, message=duplicate, into=original, by=dispatcher)
