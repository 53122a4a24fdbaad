"""The demo portal's structure: sites, units, accounts and the column tree (idempotent)."""

import os

from django.db import transaction

from . import services
from .models import Column, ColumnCategory, ColumnGroupObjectPermission, Role, Site, SiteHost, Unit

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026")

PORTAL = {
    "name": "示例区人民政府",
    "site_code": "5201020001",
    "icp_number": "黔ICP备05001234号",
    "police_number": "黔公网安备 52010202000123号",
    "police_number_code": "52010202000123",
    "sponsor": "示例区人民政府办公室",
    "organiser": "示例区大数据发展管理中心",
    "address": "示例区人民大道 1 号",
    "phone": "0851-88880000",
    "email": "zfb@example.gov.cn",
}
PORTAL_HOSTS = ["localhost", "127.0.0.1", "www.example.gov.cn"]

EDU_SITE = {
    "name": "示例区教育局",
    "site_code": "5201020002",
    "icp_number": "黔ICP备05001234号-2",
    "police_number": "黔公网安备 52010202000124号",
    "police_number_code": "52010202000124",
    "sponsor": "示例区教育局",
    "organiser": "示例区大数据发展管理中心",
    "address": "示例区文教路 8 号",
    "phone": "0851-88881111",
    "email": "jyj@example.gov.cn",
}
EDU_HOSTS = ["edu.localhost", "edu.example.gov.cn"]

# (key, name, org_code, principal leader, deputy leader, phone)
UNITS = [
    ("gov", "区政府办公室", "009401001", "王建国", "李晓明", "0851-88880001"),
    ("edu", "区教育局", "009401002", "张华", "刘芳", "0851-88881111"),
    ("fin", "区财政局", "009401003", "陈志强", "杨丽", "0851-88882222"),
    ("health", "区卫生健康局", "009401004", "赵敏", "孙伟", "0851-88883333"),
    ("housing", "区住房和城乡建设局", "009401005", "周涛", "吴静", "0851-88884444"),
    ("data", "区大数据中心", "009401006", "郑磊", "冯雪", "0851-88885555"),
]

# (username, full name, unit key, roles)
ACCOUNTS = [
    ("operator", "郑运维", "data", [Role.OPERATOR]),
    ("inspector", "王督查", "gov", [Role.INSPECTOR]),
    ("dispatcher", "李受理", "gov", [Role.DISPATCHER]),
    ("edu_liaison", "教育信息员", "edu", [Role.LIAISON]),
    ("edu_head", "教育科长", "edu", [Role.SECTION_HEAD]),
    ("edu_deputy", "刘芳", "edu", [Role.DEPUTY_LEADER]),
    ("edu_leader", "张华", "edu", [Role.PRINCIPAL_LEADER]),
    ("fin_liaison", "财政信息员", "fin", [Role.LIAISON]),
    ("fin_head", "财政科长", "fin", [Role.SECTION_HEAD]),
    ("fin_deputy", "杨丽", "fin", [Role.DEPUTY_LEADER]),
    ("fin_leader", "陈志强", "fin", [Role.PRINCIPAL_LEADER]),
]

C = ColumnCategory
# (slug, name, category, unit key, on homepage, children)
PORTAL_TREE = [
    (
        "news",
        "新闻动态",
        C.NEWS,
        "gov",
        True,
        [
            ("headlines", "要闻", C.NEWS, "gov", True, []),
            (
                "dept-news",
                "部门动态",
                C.NEWS,
                "gov",
                True,
                [
                    ("edu-news", "教育动态", C.NEWS, "edu", False, []),
                    ("fin-news", "财政动态", C.NEWS, "fin", False, []),
                    ("health-news", "卫健动态", C.NEWS, "health", False, []),
                    ("housing-news", "住建动态", C.NEWS, "housing", False, []),
                ],
            ),
            ("notices", "通知公告", C.NOTICE, "gov", True, []),
        ],
    ),
    (
        "xxgk",
        "政府信息公开",
        C.OTHER,
        "gov",
        False,
        [
            (
                "policies",
                "政策文件",
                C.POLICY,
                "gov",
                True,
                [
                    ("gov-docs", "区政府文件", C.POLICY, "gov", False, []),
                    ("edu-policies", "教育政策", C.POLICY, "edu", False, []),
                    ("fin-policies", "财政政策", C.POLICY, "fin", False, []),
                ],
            ),
            ("interpretations", "政策解读", C.POLICY, "gov", True, []),
            ("personnel", "人事信息", C.PERSONNEL, "gov", False, []),
            (
                "plans",
                "规划计划",
                C.PLANNING,
                "gov",
                False,
                [
                    ("development-plans", "发展规划", C.PLANNING, "gov", False, []),
                    ("housing-plans", "城乡建设规划", C.PLANNING, "housing", False, []),
                ],
            ),
            ("budgets", "财政预决算", C.NOTICE, "fin", False, []),
            ("public-health", "卫生健康", C.NOTICE, "health", False, []),
            ("annual-reports", "政府信息公开年报", C.NOTICE, "gov", False, []),
        ],
    ),
    (
        "overview",
        "走进示例区",
        C.OVERVIEW,
        "gov",
        False,
        [
            ("profile", "区情概况", C.OVERVIEW, "gov", False, []),
            ("leaders", "领导之窗", C.OVERVIEW, "gov", False, []),
            ("agencies", "机构职能", C.OVERVIEW, "gov", False, []),
        ],
    ),
    (
        "services",
        "办事服务",
        C.SERVICE,
        "data",
        True,
        [
            ("service-guides", "办事指南", C.SERVICE, "data", False, []),
            ("downloads", "表格下载", C.SERVICE, "data", False, []),
        ],
    ),
    (
        "interaction",
        "互动交流",
        C.INTERACTION,
        "gov",
        True,
        [
            ("mailbox", "政民互动", C.INTERACTION, "gov", False, []),
            ("consultations", "意见征集", C.INTERACTION, "gov", False, []),
            ("interviews", "在线访谈", C.INTERACTION, "gov", False, []),
        ],
    ),
    (
        "topics",
        "专题专栏",
        C.TOPIC,
        "gov",
        True,
        [
            ("rural-revitalisation", "乡村振兴", C.TOPIC, "gov", False, []),
            ("education-reform", "义务教育改革", C.TOPIC, "edu", False, []),
        ],
    ),
]
EDU_TREE = [
    ("news", "教育新闻", C.NEWS, "edu", True, []),
    ("notices", "通知公告", C.NOTICE, "edu", True, []),
    ("policies", "政策法规", C.POLICY, "edu", True, []),
    ("enrolment", "招生入学", C.SERVICE, "edu", True, []),
    ("profile", "机构概况", C.OVERVIEW, "edu", False, []),
]


def _site(fields, hosts, parent=None):
    site, _created = Site.objects.update_or_create(
        site_code=fields["site_code"], defaults={**fields, "parent": parent}
    )
    for index, hostname in enumerate(hosts):
        SiteHost.objects.update_or_create(
            hostname=hostname, defaults={"site": site, "is_primary": index == 0}
        )
    return site


def _tree(site, nodes, units, operator, parent=None):
    columns = []
    for position, (slug, name, category, unit_key, on_homepage, children) in enumerate(nodes):
        column = Column.objects.filter(site=site, parent=parent, slug=slug).first()
        fields = {
            "name": name,
            "category": category,
            "on_homepage": on_homepage,
            "position": position,
            "is_special_topic": category == C.TOPIC and parent is not None,
        }
        if column is None:
            column = Column.objects.create(site=site, parent=parent, slug=slug, **fields)
        else:
            changed = [k for k, v in fields.items() if getattr(column, k) != v]
            if changed:
                for key in changed:
                    setattr(column, key, fields[key])
                column.save(update_fields=changed)
        _assign(column, units[unit_key], operator)
        columns.append(column)
        columns += _tree(site, children, units, operator, parent=column)
    return columns


def _assign(column, unit, operator):
    """Through the ownership service, and only when the column or its permissions differ
    from the demo's plan, so that a second load records nothing. A child of a column of
    the same unit inherits rather than being assigned explicitly."""
    inherits = column.parent is not None and column.parent.unit_id == unit.pk
    granted = ColumnGroupObjectPermission.objects.filter(
        content_object=column, group=services.unit_group(unit)
    ).exists()
    if column.unit_id == unit.pk and column.unit_assigned_explicitly != inherits and granted:
        return
    services.assign_column(
        column=column, unit=None if inherits else unit, assigned_by=operator, quiet=True
    )
    column.refresh_from_db()


@transaction.atomic
def load():
    """Create or refresh the demo structure; running it twice changes nothing."""
    services.sync_role_groups()
    portal = _site(PORTAL, PORTAL_HOSTS)
    edu_site = _site(EDU_SITE, EDU_HOSTS, parent=portal)
    units = {}
    for key, name, org_code, principal, deputy, phone in UNITS:
        units[key], _created = Unit.objects.update_or_create(
            org_code=org_code,
            defaults={
                "name": name,
                "principal_leader": principal,
                "deputy_leader": deputy,
                "phone": phone,
                "email": f"{key}@example.gov.cn",
            },
        )
    accounts = {}
    for username, full_name, unit_key, roles in ACCOUNTS:
        accounts[username] = services.create_staff(
            username=username,
            full_name=full_name,
            unit=units[unit_key],
            roles=roles,
            password=DEMO_PASSWORD,
            email=f"{username}@example.gov.cn",
        )
    for key in ("edu", "fin"):
        liaison = accounts[f"{key}_liaison"]
        if units[key].liaison_id != liaison.pk:
            units[key].liaison = liaison
            units[key].save(update_fields=["liaison"])
    operator = accounts["operator"]
    columns = _tree(portal, PORTAL_TREE, units, operator) + _tree(
        edu_site, EDU_TREE, units, operator
    )
    return {"sites": [portal, edu_site], "units": units, "accounts": accounts, "columns": columns}
