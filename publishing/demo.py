"""Demo content: review chains, articles in every column, items in each review state.

Older items are imported as carried over from the units' previous websites (with their
original dates, some older than their column's allowed gap so monitoring has stale columns
to flag); new items go through the real 三审 services. Running load() twice changes nothing.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from columns.models import Column, ColumnCategory, Site, Unit

from . import services, workflow
from .models import (
    Article,
    ArticleKind,
    HeadlineDirective,
    Importance,
    Origin,
    ReviewChain,
    ReviewDecision,
    ReviewStep,
)

User = get_user_model()

#: Longest allowed gap per column category (national indicators [P§9]).
GAP_DAYS = {
    ColumnCategory.NEWS: 14,
    ColumnCategory.NOTICE: 183,
    ColumnCategory.POLICY: 183,
}
DEFAULT_GAP_DAYS = 365

#: Columns whose latest item is older than their gap: (site code, slug).
STALE_COLUMNS = {
    ("5201020001", "fin-news"),
    ("5201020001", "housing-news"),
    ("5201020001", "budgets"),
    ("5201020001", "personnel"),
    ("5201020001", "housing-plans"),
    ("5201020002", "profile"),
}

APPROVE = ReviewDecision.Outcome.APPROVE
RETURN = ReviewDecision.Outcome.RETURN


def seed_review_chains():
    """The default 三审 chain for every unit that has none: 初审, 复审 (+ 终审 if important)."""
    for unit in Unit.objects.all():
        for importance, steps in workflow.DEFAULT_STEPS.items():
            chain, created = ReviewChain.objects.get_or_create(unit=unit, importance=importance)
            if created:
                for position, name, role, opinion_only in steps:
                    ReviewStep.objects.create(
                        chain=chain,
                        position=position,
                        name=name,
                        role=role,
                        only_if_opinion_sensitive=opinion_only,
                    )


def _body(title, column):
    return (
        f"<p>{title}。</p>"
        f"<p>本信息由{column.unit}发布于“{column.name}”栏目，内容为示例数据，仅用于演示平台功能。</p>"
    )


def _import_history(operator, sites):
    """Two carried-over items per column: fresh ones, or ones past the gap where stale."""
    now = timezone.now()
    columns = Column.objects.filter(site__in=sites).select_related("site", "unit")
    for column in columns.order_by("tree_id", "lft"):
        if Article.objects.filter(column=column).exists() or column.unit is None:
            continue
        gap = GAP_DAYS.get(column.category, DEFAULT_GAP_DAYS)
        stale = (column.site.site_code, column.slug) in STALE_COLUMNS
        ages = [gap + 20, gap + 45] if stale else [max(1, gap // 5), gap // 2 + 1]
        for number, age in enumerate(ages, start=1):
            title = f"{column.name}示例信息（{number}）"
            kind = ArticleKind.ARTICLE
            if column.slug == "interpretations":
                kind = ArticleKind.INTERPRETATION
            elif column.category == ColumnCategory.POLICY:
                kind = ArticleKind.POLICY
            article = Article(
                title=title,
                body=_body(title, column),
                column=column,
                unit=column.unit,
                author=operator,
                byline=column.unit.short_name or column.unit.name,
                kind=kind,
            )
            if kind == ArticleKind.POLICY:
                article.document_number = f"示{column.unit.short_name or '区'}发〔2026〕{number}号"
                article.issuing_body = column.unit.name
                article.written_on = (now - timedelta(days=age + 3)).date()
            services.import_published(
                article=article, by=operator, published_at=now - timedelta(days=age, hours=2)
            )


def _draft(*, title, column, author, **fields):
    article = Article.objects.filter(title=title, unit=column.unit).first()
    if article is not None:
        return article, False
    article = Article(
        title=title, body=_body(title, column), column=column, unit=column.unit, author=author
    )
    for name, value in fields.items():
        setattr(article, name, value)
    return services.save_article(article=article, by=author, note="演示数据"), True


def _through_chain(article, decisions, accounts):
    """Submit article and apply decisions [(username, outcome, comment)] with the services."""
    run = services.submit(article=article, by=article.author)
    for username, outcome, comment in decisions:
        run.refresh_from_db()
        services.decide(
            run=run,
            step_index=run.current_index,
            by=accounts[username],
            outcome=outcome,
            comment=comment,
        )
    article.refresh_from_db()
    return article


def _review_states(accounts, sites):
    """For 区教育局 and 区财政局: items in each review state, through the real services."""
    portal, edu_site = sites
    col = {(c.site_id, c.slug): c for c in Column.objects.filter(site__in=[portal, edu_site])}
    for prefix, news_column, policy_column in (
        ("edu", col[(portal.pk, "edu-news")], col[(edu_site.pk, "policies")]),
        ("fin", col[(portal.pk, "fin-news")], col[(portal.pk, "fin-policies")]),
    ):
        liaison = accounts[f"{prefix}_liaison"]
        unit_name = news_column.unit.short_name or news_column.unit.name
        plan = [
            ("草稿：关于开展秋季校园安全检查的通知", [], {}),
            ("待初审：2026年第四季度工作动态", None, {}),
            (
                "待复审：暑期专项行动工作总结",
                [(f"{prefix}_head", APPROVE, "同意，请分管领导复审。")],
                {},
            ),
            (
                "已退回：年度工作要点（征求意见稿）",
                [(f"{prefix}_head", RETURN, "第二段数据与统计公报不一致，请核实后重新提交。")],
                {},
            ),
            (
                "已审核待发布：冬季供暖保障工作安排",
                [
                    (f"{prefix}_head", APPROVE, "同意。"),
                    (f"{prefix}_deputy", APPROVE, "同意发布。"),
                ],
                {"publish_on_approval": False},
            ),
            (
                "定时发布：元旦假期值班安排",
                [
                    (f"{prefix}_head", APPROVE, "同意。"),
                    (f"{prefix}_deputy", APPROVE, "同意，按计划时间发布。"),
                ],
                {"published_at": timezone.now() + timedelta(days=3)},
            ),
            (
                "经三审发布：全区重点工作推进会召开",
                [
                    (f"{prefix}_head", APPROVE, "同意，请分管领导复审。"),
                    (f"{prefix}_deputy", APPROVE, "同意，请主要领导终审。"),
                    (f"{prefix}_leader", APPROVE, "同意发布。"),
                ],
                {"importance": Importance.IMPORTANT},
            ),
            (
                "已撤稿：部分办事窗口临时调整",
                [
                    (f"{prefix}_head", APPROVE, "同意。"),
                    (f"{prefix}_deputy", APPROVE, "同意。"),
                ],
                {},
            ),
        ]
        for title, decisions, fields in plan:
            article, created = _draft(
                title=f"{unit_name}{title}", column=news_column, author=liaison, **fields
            )
            if not created or decisions == []:
                continue
            article = _through_chain(article, decisions or [], accounts)
            if title.startswith("已撤稿"):
                services.withdraw(
                    article=article, by=liaison, reason="窗口调整方案有变，待重新发布。"
                )

        policy_title = f"{unit_name}关于进一步规范专项资金管理的实施意见"
        policy, created = _draft(
            title=policy_title,
            column=policy_column,
            author=liaison,
            kind=ArticleKind.POLICY,
            importance=Importance.IMPORTANT,
            document_number=f"示{unit_name}发〔2026〕18号",
            issuing_body=news_column.unit.name,
            written_on=date(2026, 10, 20),
        )
        if created:
            policy = _through_chain(
                policy,
                [
                    (f"{prefix}_head", APPROVE, "同意。"),
                    (f"{prefix}_deputy", APPROVE, "同意。"),
                    (f"{prefix}_leader", APPROVE, "同意发布。"),
                ],
                accounts,
            )
            interpretation, _created = _draft(
                title=f"《{policy_title}》政策解读",
                column=policy_column,
                author=liaison,
                kind=ArticleKind.INTERPRETATION,
                policy=policy,
            )
            interpretation.extra_columns.add(col[(portal.pk, "interpretations")])
            _through_chain(
                interpretation,
                [(f"{prefix}_head", APPROVE, "同意。"), (f"{prefix}_deputy", APPROVE, "同意。")],
                accounts,
            )

    repost_title = "转载：国务院办公厅关于优化政务服务的通知"
    if not Article.objects.filter(title=repost_title).exists():
        repost, _created = _draft(
            title=repost_title,
            column=col[(portal.pk, "edu-news")],
            author=accounts["edu_liaison"],
            origin=Origin.REPOST_HIGHER,
            source="中国政府网",
            source_url="https://www.gov.cn/",
            publish_on_approval=False,
        )
        _through_chain(
            repost,
            [("edu_head", APPROVE, "同意转载。"), ("edu_deputy", APPROVE, "同意，尽快发布。")],
            accounts,
        )


def _headline(operator, portal):
    if HeadlineDirective.objects.filter(site=portal).exists():
        return
    article = (
        Article.objects.filter(title__contains="经三审发布", unit__org_code="009401002")
        .order_by("pk")
        .first()
    )
    if article is not None:
        services.order_headline(
            article=article, by=operator, site=portal, reason="全区重点工作，置于首页头条。"
        )


@transaction.atomic
def load():
    seed_review_chains()
    accounts = {u.username: u for u in User.objects.filter(is_staff=True)}
    operator = accounts["operator"]
    sites = [Site.objects.get(site_code="5201020001"), Site.objects.get(site_code="5201020002")]
    _import_history(operator, sites)
    _review_states(accounts, sites)
    _headline(operator, sites[0])
    load_public_pages_demo(sites)


# --- 办事服务: service items with their materials and downloadable forms ---------------------

#: (site index, unit org code, name, kind, time limit, fees, materials, documents)
#: materials: (name, basis, form, copies, endorsement); documents: (kind, title)
SERVICE_ITEMS = [
    (
        0,
        "009401002",
        "义务教育阶段新生入学登记",
        "public_service",
        "登记后 10 个工作日内告知结果",
        "不收费",
        [
            ("户口簿", "《义务教育法》第十二条", "both", 1, "none"),
            ("房屋产权证明或租赁备案证明", "区义务教育招生工作方案", "copy", 1, "signature"),
            ("入学登记表", "区义务教育招生工作方案", "original", 1, "signature"),
        ],
        [
            ("blank_form", "入学登记表（空白表格）"),
            ("instructions", "入学登记表填写说明"),
            ("sample", "入学登记表（示例样表）"),
        ],
    ),
    (
        0,
        "009401002",
        "教师资格认定",
        "licensing",
        "受理之日起 30 个工作日",
        "不收费",
        [
            ("教师资格认定申请表", "《教师资格条例》第十三条", "original", 2, "both"),
            ("身份证", "《教师资格条例实施办法》第十六条", "both", 1, "none"),
            ("学历证书", "《教师资格条例实施办法》第十六条", "both", 1, "none"),
            ("体检合格证明", "《教师资格条例实施办法》第十六条", "original", 1, "seal"),
        ],
        [("blank_form", "教师资格认定申请表"), ("sample", "教师资格认定申请表（样表）")],
    ),
    (
        0,
        "009401005",
        "建筑工程施工许可证核发",
        "licensing",
        "受理之日起 7 个工作日",
        "不收费",
        [
            (
                "建筑工程施工许可证申请表",
                "《建筑工程施工许可管理办法》第四条",
                "original",
                1,
                "both",
            ),
            ("建设工程规划许可证", "《建筑法》第八条", "copy", 1, "seal"),
        ],
        [("blank_form", "建筑工程施工许可证申请表"), ("instructions", "申请表填写说明")],
    ),
    (
        1,
        "009401002",
        "学生资助申请",
        "payment",
        "每学期集中受理，20 个工作日内审核",
        "不收费",
        [("家庭经济困难学生认定申请表", "学生资助政策文件", "original", 1, "signature")],
        [("blank_form", "家庭经济困难学生认定申请表")],
    ),
]

#: The smallest valid PDF: a blank one-page form stands in for the real document.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_public_pages_demo(sites):
    """For the public pages: service items of 区教育局 and 区住建局 with materials and forms,
    and an attachment on the policies that have interpretations; once each."""
    from django.core.files.base import ContentFile

    from .models import Attachment, ServiceDocument, ServiceItem, ServiceMaterial

    for policy in Article.objects.filter(
        kind=ArticleKind.POLICY, interpretations__isnull=False, attachments__isnull=True
    ).distinct():
        attachment = Attachment(article=policy, title=f"{policy.title}（全文）.pdf")
        attachment.file.save(f"policy-{policy.pk}.pdf", ContentFile(BLANK_PDF), save=False)
        attachment.save()

    for site_index, org_code, name, kind, time_limit, fees, materials, documents in SERVICE_ITEMS:
        site = sites[site_index]
        if ServiceItem.objects.filter(site=site, name=name).exists():
            continue
        unit = Unit.objects.get(org_code=org_code)
        item = ServiceItem.objects.create(
            site=site,
            unit=unit,
            name=name,
            code=f"{org_code}-{len(name):03d}",
            kind=kind,
            summary=f"{unit.name}办理的{name}事项。",
            legal_basis="《中华人民共和国行政许可法》\n相关法律法规及规范性文件",
            conditions="符合法律法规规定条件的公民、法人或者其他组织均可申请。",
            procedure="申请人提交材料\n窗口受理\n审查\n作出决定并送达",
            time_limit=time_limit,
            fees=fees,
            office=f"示例区政务服务中心二楼{unit.short_name or unit.name}窗口",
            office_hours="工作日 9:00—12:00，13:30—17:00（法定节假日除外）",
            contact=unit.phone,
            is_published=True,
        )
        for position, (mat_name, basis, form, copies, endorsement) in enumerate(materials):
            ServiceMaterial.objects.create(
                item=item,
                name=mat_name,
                basis=basis,
                form=form,
                copies=copies,
                endorsement=endorsement,
                position=position,
            )
        for position, (doc_kind, title) in enumerate(documents):
            document = ServiceDocument(item=item, kind=doc_kind, title=title, position=position)
            document.file.save(f"form-{item.pk}-{position}.pdf", ContentFile(BLANK_PDF), save=False)
            document.save()
