"""The pre-publication checker on real texts and files: check_text and check_file."""

import io

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter

from publishing.content_checks import check_article, check_file, check_text
from publishing.content_checks.lexicon import current_lexicon
from publishing.models import Article, BlockedDomain, SensitiveWord, WordingCorrection

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"  # the worked example of GB 11643-1999
WRONG_CHECK_DIGIT_ID = "110105194912310021"
OLD_ID = "110105491231002"  # 15 digits, born 1949-12-31


def rules(findings):
    return [finding.rule for finding in findings]


def pdf_with_text(text):
    """A real one-page PDF whose page says text (ASCII, in Helvetica)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted(pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with(*paragraphs, table_cell=None):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table_cell:
        document.add_table(rows=1, cols=1).cell(0, 0).text = table_cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- personal data ------------------------------------------------------------------------


def test_valid_id_number_blocks_and_is_masked():
    text = f"申请人身份证号码：{VALID_ID}，请核实。"
    [finding] = check_text(text)
    assert finding.rule == "id_number"
    assert finding.severity == "block"
    assert finding.match == "110105********002X"
    assert VALID_ID not in repr(finding)
    assert text[finding.start : finding.end] == VALID_ID
    assert finding.suggestion


def test_id_number_with_wrong_check_digit_is_not_taken_for_one():
    assert "id_number" not in rules(check_text(f"编号{WRONG_CHECK_DIGIT_ID}"))


def test_id_number_with_impossible_birth_date_is_not_taken_for_one():
    # Correct check digit, but born on the 13th month.
    from publishing.content_checks.personal_data import gb11643_check_character

    first17 = "11010519491331002"
    number = first17 + gb11643_check_character(first17)
    assert "id_number" not in rules(check_text(number))


def test_old_fifteen_digit_id_number_blocks():
    [finding] = check_text(f"旧身份证{OLD_ID}")
    assert finding.rule == "id_number"
    assert finding.match == "110105*****1002"


def test_luhn_valid_card_numbers_block_and_invalid_ones_do_not():
    findings = check_text("收款卡号 4111 1111 1111 1111，备用卡 6011111111111117。")
    assert rules(findings) == ["bank_card", "bank_card"]
    assert findings[0].match == "4111 **** **** 1111"
    assert rules(check_text("卡号 4111111111111112 有误")) == []


def test_mobile_numbers_block_but_not_inside_longer_digit_runs():
    findings = check_text("联系电话13812345678，或 +86 139-1234-5678。")
    assert rules(findings) == ["mobile_number", "mobile_number"]
    assert findings[0].match == "138****5678"
    assert "1234" not in findings[1].match.replace("5678", "")
    # Order numbers, document serials and tracking codes that contain a mobile-like run.
    for text in (
        "订单号2013812345678901",
        "编号 013812345678",
        "流水 138123456789",
        "a13812345678b",
    ):
        assert "mobile_number" not in rules(check_text(text)), text


def test_private_email_blocks_but_government_mail_does_not():
    [finding] = check_text("来信请寄 zhangsan@163.com 或 office@edu.guiyang.gov.cn")
    assert finding.rule == "email"
    assert finding.match == "z***@163.com"


# --- word lists and dictionary ------------------------------------------------------------


def test_built_in_secret_markers_block():
    findings = check_text("本文件为机密★1年，内部资料，不宜公开。")
    assert rules(findings) == ["secret_marker", "secret_marker", "secret_marker"]
    assert [f.match for f in findings] == ["机密★1年", "内部资料", "不宜公开"]
    assert all(f.severity == "block" for f in findings)


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("密级：机密\n关于做好年度考核工作的通知", "密级：机密"),
        ("密级：绝密", "密级：绝密"),
        ("密级:秘密　各乡镇人民政府：", "密级:秘密"),
        ("密级 机密", "密级 机密"),
        ("【密级】绝密", "密级】绝密"),
        ("密级和保密期限：秘密★6个月", "密级和保密期限：秘密★6个月"),
        ("机密★1年", "机密★1年"),
        ("绝密★长期", "绝密★长期"),
        ("秘密★", "秘密★"),
        ("机密 ★ 一年", "机密 ★ 一年"),
        ("绝密＊10年", "绝密＊10年"),
        ("机　密★２年", "机　密★２年"),
        ("密级：<strong>机密</strong>", "密级：<strong>机密"),
        ("<p><b>机密</b>★<b>1年</b></p>", "机密</b>★<b>1年"),
        ("密&nbsp;级：&nbsp;&nbsp;绝密", "密&nbsp;级：&nbsp;&nbsp;绝密"),
        ("密级：\xa0机\xa0密", "密级：\xa0机\xa0密"),
    ],
)
def test_secret_markings_in_their_written_forms_block(text, marking):
    [finding] = check_text(text)
    assert (finding.rule, finding.severity, finding.match) == ("secret_marker", "block", marking)
    assert text[finding.start : finding.end] == marking


@pytest.mark.parametrize(
    "text",
    [
        "全体干部要增强保密意识，保守国家机密。",
        "依法保护商业秘密和个人隐私。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "泄露国家秘密、商业秘密或者个人隐私的，依法追究责任。",
        "本次会议研究了机密载体管理和秘密文件清退工作。",
        "星级评定：★★★，秘密通道已关闭。",
        "小区共3*2栋，机密性要求高。",
    ],
)
def test_levels_in_ordinary_prose_do_not_block(text):
    assert "secret_marker" not in rules(check_text(text))


def test_secret_marking_split_by_markup_in_an_article_body_blocks():
    article = Article(
        title="关于开展安全检查的通知",
        body="<p><strong>密级</strong>：<span>机密</span>&nbsp;★&nbsp;5年</p><p>各单位：</p>",
    )
    [finding] = check_article(article, fetch_links=False)
    assert (finding.rule, finding.source, finding.match) == (
        "secret_marker",
        "body",
        "密级：机密\xa0★\xa05年",
    )


def test_operator_words_take_effect_at_once_and_the_automaton_is_rebuilt_only_on_change():
    before = current_lexicon()
    assert current_lexicon() is before  # no change, no rebuild
    assert rules(check_text("严禁传播某某功法")) == []
    SensitiveWord.objects.create(word="某某功法", category=SensitiveWord.Category.POLITICAL)
    [finding] = check_text("严禁传播某某功法")
    assert (finding.rule, finding.severity, finding.category) == (
        "sensitive_word",
        "block",
        "政治敏感",
    )
    assert current_lexicon() is not before
    SensitiveWord.objects.get(word="某某功法").delete()
    assert rules(check_text("严禁传播某某功法")) == []


def test_operator_secret_category_counts_as_secret_marker():
    SensitiveWord.objects.create(word="涉密文件", category=SensitiveWord.Category.SECRET)
    assert rules(check_text("附涉密文件一份")) == ["secret_marker"]


@pytest.mark.parametrize(
    ("text", "wrong", "right", "kind"),
    [
        ("《中华人民共合国宪法》", "中华人民共合国", "中华人民共和国", "严重表述错误"),
        ("全体干部再接再励", "再接再励", "再接再厉", "错别字"),
        ("习近乎总书记指出", "习近乎", "习近平", "领导姓名职务"),
    ],
)
def test_each_starter_dictionary_kind_warns_with_the_right_form(text, wrong, right, kind):
    [finding] = check_text(text)
    assert (finding.rule, finding.severity, finding.match, finding.category) == (
        "wording",
        "warn",
        wrong,
        kind,
    )
    assert right in finding.suggestion


def test_operator_dictionary_entry_warns_and_never_flags_the_right_form():
    WordingCorrection.objects.create(
        wrong="王副区长", right="王区长", kind=WordingCorrection.Kind.LEADER
    )
    WordingCorrection.objects.create(wrong="人民政", right="人民政府")
    assert rules(check_text("王副区长出席")) == ["wording"]
    assert rules(check_text("区人民政府办公室")) == []
    assert rules(check_text("区人民政协商")) == ["wording"]


def test_correct_text_has_no_findings():
    text = "中华人民共和国宪法规定，全体干部再接再厉。联系电话：0851-12345678。"
    assert check_text(text) == []


# --- links in text ------------------------------------------------------------------------


def test_listed_gambling_domain_and_its_subdomains_block():
    BlockedDomain.objects.create(domain="lucky-ads.example", category="advertising")
    findings = check_text("详见 https://sports.bet365.com/x 和 www.lucky-ads.example/buy")
    assert rules(findings) == ["blocked_link", "blocked_link"]
    assert [f.category for f in findings] == ["赌博", "商业广告"]


# --- attachments --------------------------------------------------------------------------


def test_docx_attachment_with_id_number_in_a_table_blocks():
    data = docx_with("报名名单", table_cell=f"李四 {VALID_ID}")
    [finding] = check_file("名单.docx", data)
    assert (finding.rule, finding.source, finding.match) == (
        "id_number",
        "名单.docx",
        "110105********002X",
    )


def test_pdf_attachment_with_id_number_blocks():
    data = pdf_with_text(f"Applicant ID {VALID_ID}")
    [finding] = check_file("公示.pdf", data)
    assert (finding.rule, finding.source) == ("id_number", "公示.pdf")


def test_xlsx_and_txt_attachments_are_checked():
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "电话"])
    workbook.active.append(["王五", "13912345678"])
    out = io.BytesIO()
    workbook.save(out)
    assert rules(check_file("名单.xlsx", out.getvalue())) == ["mobile_number"]
    assert rules(check_file("说明.txt", "本件为内部资料".encode("gb18030"))) == ["secret_marker"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("损坏.pdf", b"%PDF-1.7\n\x00\x01garbage that is no PDF", "损坏"),
        ("加密.pdf", encrypted(pdf_with_text(f"ID {VALID_ID}")), "加密"),
        ("损坏.docx", b"PK\x03\x04 broken zip", "损坏"),
        ("损坏.xlsx", b"PK\x03\x04 broken zip", "损坏"),
        ("旧格式.doc", b"\xd0\xcf\x11\xe0 ole", "无法自动检查"),
    ],
)
def test_unreadable_attachment_gives_a_cannot_read_finding(name, data, reason):
    [finding] = check_file(name, data)
    assert finding.rule == "unreadable_attachment"
    assert finding.severity == "block"
    assert finding.match == name
    assert "无法读取" in finding.suggestion
    assert reason in finding.suggestion


def test_pictures_carry_no_text_to_check():
    assert check_file("照片.jpg", b"\xff\xd8\xff\xe0 jpeg") == []


def test_numbers_typed_in_full_width_digits_are_found_too():
    text = "身份证１１０１０５１９４９１２３１００２Ｘ，手机１３８１２３４５６７８"
    findings = check_text(text)
    assert rules(findings) == ["id_number", "mobile_number"]
    assert findings[0].match == "110105********002X"
    assert text[findings[1].start : findings[1].end] == "１３８１２３４５６７８"
