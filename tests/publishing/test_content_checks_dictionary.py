"""The shipped wording dictionary and the leaders' name lists: errors found in published
inspection notices are caught, correct government texts stay clean, and the operator's list
of names sets the order the check expects."""

import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publishing.content_checks import check_text
from publishing.models import LeaderName, WordingCorrection

pytestmark = pytest.mark.django_db

LEADERS_URL = reverse("admin:publishing_leadername_changelist")


def wording(findings):
    return [(f.match, f.suggestion) for f in findings if f.rule == "wording"]


def test_the_starter_dictionary_has_several_hundred_entries():
    assert WordingCorrection.objects.count() >= 300


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("始终坚持以中国入民为中心的发展思想。", "中国入民", "中国人民"),
        ("清明节前夕，干部职工到革命烈土陵园开展祭扫活动。", "革命烈土", "革命烈士"),
        ("缅怀英雄烈土。", "英雄烈土", "英雄烈士"),
        ("区第十八届人民代表大人第三次会议胜利闭幕。", "人民代表大人", "人民代表大会"),
        ("根据国务院办工厅有关要求，现将自查情况报告如下。", "国务院办工厅", "国务院办公厅"),
        ("既往开来，奋力谱写高质量发展新篇章。", "既往开来", "继往开来"),
        ("深入开展党风廉证建设宣传教育月活动。", "党风廉证建设", "党风廉政建设"),
        ("请各单位于月底前报送政府工作报吿征求意见稿。", "政府工作报吿", "政府工作报告"),
        ("全力打好脱贫功坚战。", "脱贫功坚", "脱贫攻坚"),
    ],
)
def test_errors_from_inspection_notices_are_caught_once_with_the_right_form(text, wrong, right):
    [(match, suggestion)] = wording(check_text(text))
    assert match == wrong
    assert right in suggestion


CORRECT_TEXTS = [
    # A district government's annual work report, as published.
    """区人民政府2025年政府工作报告
    过去一年，在区委的坚强领导下，在区人民代表大会及其常务委员会的监督支持下，区人民政府坚持以
    习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中、三中全会精神，深入
    贯彻落实习近平总书记视察贵州重要讲话精神，继往开来、砥砺奋进，统筹推进稳增长、促改革、调结构、
    惠民生、防风险、保稳定各项工作。全区地区生产总值增长5.6%，一般公共预算收入完成年度目标。
    我们坚持把高质量发展作为首要任务，深化放管服改革，持续优化营商环境，政务服务事项全部实现
    一网通办。我们坚持以人民为中心的发展思想，实施民生实事12件，城镇新增就业1.2万人，新建、改扩建
    中小学校5所。我们坚持全面从严治党，驰而不息纠治四风，扎实开展党纪学习教育，党风廉政建设
    和反腐败斗争深入推进。清明节期间，组织干部群众到烈士陵园祭扫，缅怀革命先烈，赓续红色血脉。
    新的一年，我们将按照国务院办公厅和省人民政府办公厅的部署，按装修改造计划推进老旧小区改造，
    加快完善社会保障体系，切实维护人民群众合法权益，为全面建设社会主义现代化国家作出新的贡献。""",
    # A notice of the district's general office.
    """区人民政府办公室关于做好2026年元旦春节期间有关工作的通知
    各乡（镇）人民政府、街道办事处，区政府各部门、各直属机构：
    为深入贯彻落实党中央、国务院决策部署和省委、省政府工作要求，经区人民政府同意，现就做好元旦
    春节期间有关工作通知如下。一、切实做好困难群众帮扶救助工作。各单位要认真开展走访慰问，及时
    发放救助资金，做好优抚对象、烈士遗属和困难职工的慰问工作，确保困难群众温暖过冬。二、全力保障
    市场供应和价格稳定。市场监管部门要加强市场竞争秩序监管，维护公平竞争。三、扎实抓好安全生产。
    各单位要开展隐患排查整治，做好防汛抗旱和森林防火准备，严防各类事故发生。四、严格落实值班制度。
    请各单位于12月25日前将值班安排和汇报负责人名单报区人民政府办公室，主题纲要另行印发。
    五、严明纪律作风。严格执行中央八项规定及其实施细则精神，坚决防止节日腐败。""",
    # A press release of the district people's congress.
    """区人大常委会召开第二十次会议
    12月1日，区第十八届人民代表大会常务委员会召开第二十次会议。会议听取和审议了区人民政府关于
    2025年国民经济和社会发展计划执行情况的报告，审议了区人民法院、区人民检察院的专项工作报告，
    表决通过了有关人事任免事项。会议指出，要坚持党的领导、人民当家作主、依法治国有机统一，发展
    全过程人民民主，依法履行监督职责，推动人大工作高质量发展。区人大常委会主任主持会议，区人民
    政府、区监察委员会负责同志列席会议。会议强调，要认真学习宣传贯彻党的二十届四中全会精神，
    始终保持同党中央在思想上政治上行动上高度一致，自觉做到两个维护，为奋力谱写中国式现代化
    新篇章贡献人大力量。""",
]


@pytest.mark.parametrize("text", CORRECT_TEXTS)
def test_long_correct_government_texts_have_no_wording_findings(text):
    assert len(text) > 300
    assert [f for f in check_text(text) if f.rule in ("wording", "leader_order")] == []


# --- leaders' names -----------------------------------------------------------------------


def test_misspelt_standing_committee_name_is_flagged_with_the_right_name():
    [(match, suggestion)] = wording(check_text("会议由丁薜祥主持。"))
    assert match == "丁薜祥"
    assert "丁薛祥" in suggestion


def test_standing_committee_names_out_of_order_are_flagged():
    text = "习近平、赵乐际、李强、王沪宁等在主席台就座。"
    [finding] = [f for f in check_text(text) if f.rule == "leader_order"]
    assert (finding.severity, finding.category) == ("warn", "中央政治局常委")
    assert text[finding.start : finding.end] == "习近平、赵乐际、李强、王沪宁"
    assert "习近平、李强、赵乐际、王沪宁" in finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希出席会议。",
        "习近平同志、李强同志、蔡奇同志出席。",
        # Named apart, not as one listing.
        "李强主持召开国务院常务会议。会前，习近平总书记作出重要指示。",
    ],
)
def test_names_in_the_listed_order_or_apart_are_not_flagged(text):
    assert [f for f in check_text(text) if f.rule == "leader_order"] == []


def test_operator_edits_the_list_of_names_in_order_through_the_admin(login_as):
    operator = login_as("operator")
    text = "张三、王五、李四同志出席会议。"
    for position, name, wrong in ((1, "张三", ""), (2, "李四", "李泗"), (3, "王五", "")):
        response = operator.post(
            reverse("admin:publishing_leadername_add"),
            {"group": "区委常委", "position": position, "name": name, "wrong_variants": wrong},
        )
        assert response.status_code == 302, response.content.decode()
    [finding] = [f for f in check_text(text) if f.rule == "leader_order"]
    assert "张三、李四、王五" in finding.suggestion
    assert wording(check_text("李泗同志")) == [("李泗", "应为“李四”。")]

    wang = LeaderName.objects.get(group="区委常委", name="王五")
    li = LeaderName.objects.get(group="区委常委", name="李四")
    response = operator.post(
        LEADERS_URL,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": wang.pk,
            "form-0-position": "2",
            "form-0-wrong_variants": "",
            "form-1-id": li.pk,
            "form-1-position": "3",
            "form-1-wrong_variants": "李泗",
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    assert [f for f in check_text(text) if f.rule == "leader_order"] == []


def test_a_name_cannot_be_its_own_wrong_variant(login_as):
    response = login_as("operator").post(
        reverse("admin:publishing_leadername_add"),
        {"group": "区委常委", "position": 1, "name": "张三", "wrong_variants": "张叁、张三"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not LeaderName.objects.filter(group="区委常委").exists()


# --- import and export --------------------------------------------------------------------

EXPORT_URL = "admin:publishing_wordingcorrection_export"
IMPORT_URL = reverse("admin:publishing_wordingcorrection_import")


def dictionary_rows():
    return sorted(WordingCorrection.objects.values_list("wrong", "right", "kind", "note"))


def xlsx_of(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, name, data):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_exported_dictionary_imports_back_the_same(login_as, file_format):
    operator = login_as("operator")
    WordingCorrection.objects.create(wrong="文件精伸", right="文件精神", note="本区自查发现")
    # A note Excel would run as a formula is exported as text and read back as written.
    WordingCorrection.objects.create(wrong="紧急通知书", right="紧急通知", note="=HYPERLINK(1)")
    before = dictionary_rows()
    response = operator.get(reverse(EXPORT_URL, args=[file_format]))
    assert response.status_code == 200
    filename = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert filename.startswith("纠错词典-") and filename.endswith(f".{file_format}")
    if file_format == "csv":
        assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")
    exported = response.content

    WordingCorrection.objects.all().delete()
    response = upload(operator, f"词典.{file_format}", exported)
    assert f"{len(before)} " in response.content.decode()
    assert dictionary_rows() == before
    assert "wording" in {f.rule for f in check_text("学习文件精伸")}


def test_import_adds_new_entries_and_updates_known_ones(login_as):
    operator = login_as("operator")
    count = WordingCorrection.objects.count()
    data = xlsx_of(
        [
            ("错误写法", "正确写法", "类别", "备注"),
            ("文件精伸", "文件精神", "错别字", "本区自查"),
            ("中国入民", "中国人民", "严重表述错误", "改了备注"),
        ]
    )
    response = upload(operator, "新增.xlsx", data)
    assert response.status_code == 200
    assert WordingCorrection.objects.count() == count + 1
    assert WordingCorrection.objects.get(wrong="中国入民").note == "改了备注"
    assert "wording" in {f.rule for f in check_text("学习文件精伸")}


def test_bad_import_names_each_bad_row_and_stores_nothing(login_as):
    operator = login_as("operator")
    before = dictionary_rows()
    data = "\n".join(
        [
            "错误写法,正确写法,类别,备注",
            "文件精伸,文件精神,错别字,",  # good, but must not be stored alone
            "会议纪耍,,错别字,",  # no right form
            "党建工做,党建工作,乱七八糟,",  # unknown category
            "文件精伸,文件精神,错别字,",  # twice
            "同样,同样,错别字,",  # right equals wrong
        ]
    ).encode("utf-8")
    response = upload(operator, "词典.csv", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    for row in (3, 4, 5, 6):
        assert f"第 {row} 行：" in page
    assert "第 2 行：" not in page  # the good row (the duplicate's note may name it)
    assert dictionary_rows() == before
    assert "wording" not in {f.rule for f in check_text("学习文件精伸")}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("词典.xlsx", b"PK\x03\x04 broken"),
        ("词典.txt", "错误写法,正确写法\n文件精伸,文件精神".encode()),
        ("词典.csv", "wrong,right\n文件精伸,文件精神".encode()),
    ],
)
def test_unreadable_or_headerless_file_is_refused(login_as, name, data):
    before = dictionary_rows()
    response = upload(login_as("operator"), name, data)
    assert 'id="import-errors"' in response.content.decode()
    assert dictionary_rows() == before


def test_liaison_may_neither_import_nor_export(login_as):
    liaison = login_as("edu_liaison")
    assert liaison.get(reverse(EXPORT_URL, args=["csv"])).status_code in (302, 403)
    response = liaison.post(IMPORT_URL, {"file": SimpleUploadedFile("a.csv", b"x")})
    assert response.status_code in (302, 403)
