"""从 Word 导入 and pasting from Word: structure kept, Word's styling dropped, pictures stored
through the upload checks, bad files refused with nothing stored."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from PIL import Image

from publishing.models import Article, ArticleRevision, Attachment

from .test_review_chain import article_form

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMPORT_URL = "/admin/publishing/article/import-word/"


def picture(image_format, **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, image_format, **save_options)
    buffer.seek(0)
    return buffer


def photo_with_position():
    """A JPEG carrying EXIF (camera, GPS): the stored copy must have none."""
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x8825] = {1: "N", 2: (26.0, 34.0, 0.0)}
    return picture("JPEG", exif=exif.tobytes())


def government_docx():
    """A notice as offices write it: 文号, a title in the Title style, a salutation, headings,
    runs with fonts, colours and sizes, a table, a photo and a drawing in a format the upload
    checks refuse (GIF)."""
    document = Document()
    number = document.add_paragraph("示教发〔2026〕12号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("关于做好2026年冬季校园安全工作的通知", style="Title")
    document.add_paragraph("各区（市、县）教育局：")
    document.add_heading("一、总体要求", level=1)
    paragraph = document.add_paragraph()
    run = paragraph.add_run("坚持安全第一、预防为主，")
    run.font.name = "仿宋_GB2312"
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)
    paragraph.add_run("落实校园安全主体责任。").bold = True
    document.add_heading("（一）排查隐患", level=2)
    document.add_paragraph("各校于12月15日前完成排查。")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for row, cells in enumerate((("学校", "完成情况"), ("第一中学", "已完成"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_picture(photo_with_position())
    document.add_picture(picture("GIF"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload_docx(client, column, data, name="通知.docx"):
    upload = SimpleUploadedFile(name, data, content_type=DOCX_TYPE)
    return client.post(IMPORT_URL, {"file": upload, "column": str(column.pk)})


def test_liaison_finds_word_import_on_the_add_page(login_as):
    html = login_as("edu_liaison").get(reverse("admin:publishing_article_add")).content.decode()
    assert f'href="{IMPORT_URL}"' in html
    with translation.override("zh-hans"):
        assert gettext("Import from Word") in html


def test_government_docx_becomes_a_clean_draft(login_as, column_named, user_named):
    client = login_as("edu_liaison")
    response = upload_docx(client, column_named("edu-news"), government_docx())

    article = Article.objects.get(title="关于做好2026年冬季校园安全工作的通知")
    assert response.status_code == 302
    assert response.url == reverse("admin:publishing_article_change", args=[article.pk])
    assert article.status == "draft"
    assert article.author == user_named("edu_liaison")
    assert article.document_number == "示教发〔2026〕12号"
    body = article.body
    # 文号 and 标题 moved into their fields, the salutation stays the first paragraph.
    assert "示教发" not in body and "冬季校园安全工作的通知" not in body
    assert body.startswith("<p>各区（市、县）教育局：</p>")
    assert "<h2>一、总体要求</h2>" in body
    assert "<h3>（一）排查隐患</h3>" in body
    assert "<strong>落实校园安全主体责任。</strong>" in body
    assert re.search(r"<table>.*<td><p>第一中学</p></td>.*</table>", body, re.S)
    for debris in ("style=", "class=", "mso", "font", "lang=", "<span", "color"):
        assert debris not in body, debris

    # The photo went through the upload checks and storage: an attachment, no EXIF left.
    (photo,) = Attachment.objects.filter(article=article)
    assert photo.file.name.endswith(".jpeg")
    assert f'<img src="{photo.file.url}">' in body
    assert body.count("<img") == 1
    with Image.open(photo.file.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    # The GIF the checks refuse is left out and named.
    page = client.get(response.url).content.decode()
    with translation.override("zh-hans"):
        assert gettext("Picture %(number)s: %(reason)s") % {"number": 2, "reason": ""} in page


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("通知.pdf", b"%PDF-1.4\n%%EOF\n", "不能上传“pdf”类型的附件"),
        ("通知.docx", b"PK\x03\x04" + b"\x00" * 200, "cannot be read as a Word document"),
        ("通知.docx", b"<html>not a zip</html>", "的内容不是docx文件"),
    ],
)
def test_a_file_that_is_no_word_document_is_refused(login_as, column_named, name, data, expected):
    before = (Article.objects.count(), ArticleRevision.objects.count(), Attachment.objects.count())
    response = upload_docx(login_as("edu_liaison"), column_named("edu-news"), data, name=name)
    html = response.content.decode()
    assert response.status_code == 200
    if expected.isascii():
        with translation.override("zh-hans"):
            expected = gettext(
                "“%(name)s” cannot be read as a Word document; save it again as .docx in Word."
            ) % {"name": name}
    assert expected in html
    assert "errornote" in html
    after = (Article.objects.count(), ArticleRevision.objects.count(), Attachment.objects.count())
    assert after == before


def test_import_into_another_units_column_is_refused(login_as, column_named):
    response = upload_docx(login_as("edu_liaison"), column_named("fin-news"), government_docx())
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not Article.objects.filter(title__contains="冬季校园安全").exists()
    assert not Attachment.objects.filter(file__contains="word-image").exists()


WORD_FRAGMENT = """<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal{mso-style-parent:"";font-family:宋体}</style>
<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0">
<span lang="EN-US" style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体">
近日，全区教育工作会议召开。</span><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<h2 style="mso-outline-level:2"><a name="_Toc1234"></a>
<span style="font-family:黑体">一、会议部署</span></h2>
<table class="MsoTableGrid" border="1" cellspacing="0"
 style="border-collapse:collapse;mso-yfti-tbllook:1184">
<tr style="mso-yfti-irow:0"><td width="276" valign="top" style="width:207.4pt">
<p class="MsoNormal"><b style="mso-bidi-font-weight:normal">
<span style="font-family:宋体">学校</span></b></p></td></tr></table>
<p><v:shape style="width:1pt"><v:imagedata src="file:///C:/Users/clip_image001.png"/></v:shape>
<img width="100" src="file:///C:/Users/AppData/clip_image002.jpg" v:shapes="x"></p>"""


def test_text_pasted_from_word_is_cleaned_on_save(login_as, column_named):
    data = article_form(column_named("edu-news"), title="粘贴测试信息", body=WORD_FRAGMENT)
    response = login_as("edu_liaison").post(reverse("admin:publishing_article_add"), data)
    assert response.status_code == 302
    body = Article.objects.get(title="粘贴测试信息").body
    assert "近日，全区教育工作会议召开。" in body
    assert re.search(r"<h2>\s*一、会议部署</h2>", body)
    assert re.search(r"<table>.*<b>\s*学校</b>.*</table>", body, re.S)
    for debris in ("style", "class=", "mso", "lang=", "<span", "o:p", "<a", "<img", "file:"):
        assert debris not in body, debris
    assert not re.search(r"<p>(\s|&nbsp;)*</p>", body)
