"""Demo participation: an open and a closed consultation (with its published feedback report),
an open survey and a closed one with published results, an archived and an upcoming interview.

Live actions go through the real services and the articles through the real 三审 chain; what
happened before today (comments on the closed consultation, answers to the closed survey) is
written as history with its original times. Running load() twice changes nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from columns.models import Column, Site
from publishing import services as publishing_services
from publishing.models import Article, ReviewRun

from . import services
from .models import (
    Adoption,
    Consultation,
    ConsultationComment,
    Guest,
    Interview,
    InterviewQuestion,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
    TranscriptEntry,
)

User = get_user_model()


def _reviewed(article, reviewers):
    """Submit article as its author and approve each step as the given reviewers."""
    run = publishing_services.submit(article=article, by=article.author)
    for reviewer in reviewers:
        run = ReviewRun.objects.get(pk=run.pk)
        publishing_services.decide(
            run=run, step_index=run.current_index, by=reviewer, outcome="approve", comment="同意。"
        )
    article.refresh_from_db()
    return article


def _document(title, body, column, author):
    article = Article(
        title=title, body=body, column=column, unit=column.unit, author=author, byline="区教育局"
    )
    return publishing_services.save_article(article=article, by=author, note="演示数据")


def _consultation(title, document_title, body, *, site, column, liaison, reviewers, **fields):
    """A consultation on a draft the liaison wrote and the reviewers approved (三审)."""
    document = _reviewed(_document(document_title, body, column, liaison), reviewers)
    consultation = Consultation(
        site=site, unit=column.unit, title=title, document=document, **fields
    )
    return services.save_consultation(consultation=consultation, by=liaison)


def _consultations(site, accounts, now):
    liaison = accounts["edu_liaison"]
    reviewers = [accounts["edu_head"], accounts["edu_deputy"]]
    column = Column.objects.get(site=site, slug="edu-policies")
    drafting = {"site": site, "column": column, "liaison": liaison, "reviewers": reviewers}
    open_title = "《示例区中小学课后服务管理办法（征求意见稿）》公开征求意见"
    if not Consultation.objects.filter(title=open_title).exists():
        consultation = _consultation(
            open_title,
            "示例区中小学课后服务管理办法（征求意见稿）",
            "<p>第一条 为规范中小学课后服务，减轻家长接送负担，制定本办法。</p>"
            "<p>第二条 课后服务时间原则上不早于下午5时30分结束。</p>"
            "<p>第三条 课后服务坚持学生自愿、家长申请原则，不得强制参加。</p>",
            summary="欢迎社会各界对课后服务时间、内容和收费提出意见建议。",
            opens_at=now - timedelta(days=5),
            closes_at=now + timedelta(days=25),
            **drafting,
        )
        for name, content in [
            ("王女士", "建议课后服务增加体育锻炼和阅读时间，不要只写作业。"),
            ("李先生", "希望延长到下午6点，方便双职工家庭接孩子。"),
            ("赵同学家长", "请明确收费标准并向家长公示。"),
            ("孙先生", "我有具体想法，可以电话联系我：13800138000。"),
        ]:
            services.comment_on(consultation=consultation, content=content, name=name)

    closed_title = "《示例区学前教育资助实施细则（征求意见稿）》公开征求意见"
    if not Consultation.objects.filter(title=closed_title).exists():
        consultation = _consultation(
            closed_title,
            "示例区学前教育资助实施细则（征求意见稿）",
            "<p>第一条 对家庭经济困难幼儿给予保育教育费资助。</p>"
            "<p>第二条 资助标准为每生每年1500元。</p>",
            summary="征求意见已结束，反馈报告已公布。",
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=30),
            **drafting,
        )
        history = [
            (
                "周先生",
                "建议将资助标准提高到每年2000元。",
                Adoption.PARTLY,
                "标准提高至1800元，受财力所限暂不能一步到位。",
            ),
            (
                "吴女士",
                "申请材料太多，建议简化为一张表。",
                Adoption.ADOPTED,
                "已简化为《资助申请表》一张。",
            ),
            ("郑先生", "建议把民办幼儿园也纳入资助范围。", Adoption.ADOPTED, ""),
            (
                "冯女士",
                "建议取消资助，改为全部免费。",
                Adoption.NOT_ADOPTED,
                "全部免费超出本细则的授权范围，将在全区学前教育规划中研究。",
            ),
        ]
        for day, (name, content, adoption, note) in enumerate(history, start=1):
            comment = ConsultationComment.objects.create(
                consultation=consultation,
                content=content,
                name=name,
                submitted_at=consultation.opens_at + timedelta(days=day * 5),
            )
            services.decide_adoption(comment=comment, by=liaison, adoption=adoption, note=note)
        report = services.draft_report(consultation=consultation, by=liaison)
        _reviewed(report, reviewers)


def _survey(site, unit, liaison, *, title, description, opens_at, closes_at, questions):
    survey = services.save_survey(
        survey=Survey(
            site=site,
            unit=unit,
            title=title,
            description=description,
            opens_at=opens_at,
            closes_at=closes_at,
        ),
        by=liaison,
    )
    for position, (text, kind, required, options) in enumerate(questions):
        question = SurveyQuestion.objects.create(
            survey=survey, position=position, text=text, kind=kind, required=required
        )
        for index, option in enumerate(options):
            SurveyChoice.objects.create(question=question, position=index, text=option)
    return services.publish_survey(survey=survey, by=liaison)


SURVEY_QUESTIONS = [
    ("您的孩子目前就读的学段是？", QuestionKind.SINGLE, True, ["小学", "初中", "高中"]),
    (
        "您希望课后服务提供哪些内容？（可多选）",
        QuestionKind.MULTIPLE,
        True,
        ["作业辅导", "体育运动", "阅读", "艺术", "科技活动"],
    ),
    ("您对目前的课后服务是否满意？", QuestionKind.SINGLE, True, ["满意", "基本满意", "不满意"]),
    ("其他意见和建议", QuestionKind.TEXT, False, []),
]


def _surveys(site, accounts, now):
    liaison = accounts["edu_liaison"]
    unit = liaison.staff_profile.unit
    closed_title = "2026年秋季学期课后服务满意度调查"
    if not Survey.objects.filter(title=closed_title).exists():
        survey = _survey(
            site,
            unit,
            liaison,
            title=closed_title,
            description="为了解家长对课后服务的评价，特开展本次调查。",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
            questions=SURVEY_QUESTIONS,
        )
        # Answers given while it was open, with their original times (a fixed seed keeps the
        # demo the same on every machine).
        rng = random.Random(7)
        questions = list(survey.questions.prefetch_related("choices"))
        for number in range(48):
            response = SurveyResponse.objects.create(
                survey=survey,
                respondent_key=f"demo-{number}",
                submitted_at=survey.opens_at + timedelta(hours=number * 12 + 3),
            )
            for question in questions:
                options = list(question.choices.all())
                answer = SurveyAnswer.objects.create(
                    response=response,
                    question=question,
                    text="希望增加户外活动时间。"
                    if question.kind == QuestionKind.TEXT and number % 6 == 0
                    else "",
                )
                if question.kind == QuestionKind.SINGLE:
                    answer.choices.set([rng.choices(options, weights=[5, 3, 2][: len(options)])[0]])
                elif question.kind == QuestionKind.MULTIPLE:
                    answer.choices.set(rng.sample(options, rng.randint(1, 3)))
        services.publish_survey_results(survey=survey, by=liaison)

    open_title = "寒假托管服务需求调查"
    if not Survey.objects.filter(title=open_title).exists():
        _survey(
            site,
            unit,
            liaison,
            title=open_title,
            description="区教育局拟试点寒假托管服务，请家长填写需求。",
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=28),
            questions=[
                (
                    "您是否需要寒假托管服务？",
                    QuestionKind.SINGLE,
                    True,
                    ["需要", "不需要", "视情况而定"],
                ),
                (
                    "您希望托管的时段是？（可多选）",
                    QuestionKind.MULTIPLE,
                    False,
                    ["上午", "下午", "全天"],
                ),
                ("您的其他建议", QuestionKind.TEXT, False, []),
            ],
        )


def _interview(site, liaison, *, title, summary, starts_at, guests):
    interview = services.save_interview(
        interview=Interview(
            site=site,
            unit=liaison.staff_profile.unit,
            title=title,
            summary=summary,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1, minutes=30),
        ),
        by=liaison,
    )
    for position, (name, guest_title) in enumerate(guests):
        Guest.objects.create(interview=interview, position=position, name=name, title=guest_title)
    return services.publish_interview(interview=interview, by=liaison)


def _interviews(site, accounts, now):
    liaison = accounts["edu_liaison"]
    archived_title = "聚焦“双减”：课后服务怎么做——区教育局局长在线访谈"
    if not Interview.objects.filter(title=archived_title).exists():
        interview = _interview(
            site,
            liaison,
            title=archived_title,
            summary="区教育局负责人就课后服务、作业管理等热点问题与网友在线交流。",
            starts_at=(now - timedelta(days=12)).replace(hour=2, minute=0, second=0, microsecond=0),
            guests=[("张华", "区教育局局长"), ("刘芳", "区教育局副局长")],
        )
        asked = []
        for nickname, content in [
            ("家长小陈", "课后服务会收费吗？标准是多少？"),
            ("老师李", "教师参与课后服务有没有补助？"),
        ]:
            question = services.ask_question(
                interview=interview, nickname=nickname, content=content
            )
            asked.append(services.screen_question(question=question, by=liaison, accept=True))
        services.start_interview(interview=interview, by=liaison)
        zhang, liu = interview.guests.order_by("position")
        lines = [
            (None, None, "各位网友大家好，欢迎来到在线访谈。今天我们邀请到区教育局的两位负责人。"),
            (zhang, None, "大家好，很高兴和大家交流课后服务工作。"),
            (
                zhang,
                asked[0],
                "课后服务坚持公益普惠，收费标准经价格主管部门核定后公示，困难家庭免收。",
            ),
            (liu, asked[1], "教师参与课后服务的，按规定给予补助，并作为绩效考核的参考。"),
            (None, None, "感谢两位嘉宾，今天的访谈到此结束。"),
        ]
        for minute, (guest, question, text) in enumerate(lines):
            entry = services.post_entry(
                interview=interview, by=liaison, text=text, guest=guest, question=question
            )
            TranscriptEntry.objects.filter(pk=entry.pk).update(
                posted_at=interview.starts_at + timedelta(minutes=minute * 6)
            )
        InterviewQuestion.objects.filter(interview=interview).update(
            submitted_at=interview.starts_at - timedelta(days=2), screened_at=interview.starts_at
        )
        services.end_interview(interview=interview, by=liaison)

    upcoming_title = "新学期招生入学政策解读在线访谈"
    if not Interview.objects.filter(title=upcoming_title).exists():
        interview = _interview(
            site,
            liaison,
            title=upcoming_title,
            summary="区教育局将就2027年义务教育招生入学政策在线回答网友提问，欢迎提前留言。",
            starts_at=(now + timedelta(days=6)).replace(hour=7, minute=0, second=0, microsecond=0),
            guests=[("刘芳", "区教育局副局长"), ("陈明", "区教育局基础教育科科长")],
        )
        question = services.ask_question(
            interview=interview, nickname="新生家长", content="租房家庭的孩子如何申请入学？"
        )
        services.screen_question(question=question, by=liaison, accept=True)


@transaction.atomic
def load():
    accounts = {u.username: u for u in User.objects.filter(is_staff=True)}
    site = Site.objects.get(site_code="5201020001")
    now = timezone.now()
    _consultations(site, accounts, now)
    _surveys(site, accounts, now)
    _interviews(site, accounts, now)
