"""从 Word 导入 — a .docx becomes a draft article.

mammoth converts the document's structure (headings, paragraphs, lists, tables, pictures) and
ignores its formatting; the body is then cleaned like any edited body (publishing.sanitising).
Government documents open with their 文号 (示教发〔2026〕12号) and 标题: both are taken out of
the body into the article's fields. Pictures become the article's attachments through the
same upload checks as a hand-made attachment; a picture those checks refuse (an .emf drawing,
a damaged file) is left out and named, the rest of the document still imported.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePath

import mammoth
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from columns.uploads import validate_attachment, validate_word_document

from . import services
from .models import Article, Attachment

#: Word's built-in heading styles, English and Chinese names: the document title is the page's
#: h1 (taken into Article.title), so the document's headings start at h2.
STYLE_MAP = "\n".join(
    f"p[style-name='{name}'] => {tag}:fresh"
    for names, tag in (
        (("Title", "标题"), "h1"),
        (("Heading 1", "标题 1"), "h2"),
        (("Heading 2", "标题 2"), "h3"),
        (("Heading 3", "标题 3"), "h4"),
        (("Heading 4", "标题 4"), "h5"),
    )
    for name in names
)

#: 发文字号: 机关代字〔年份〕序号号, with the full-width or square brackets writers use.
DOCUMENT_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,20}[〔［\[(（]\d{4}[〕］\])）]\d{1,5}号$")
#: The blocks at the top of the body where the 文号 and 标题 may stand.
_LEADING_BLOCK = re.compile(r"\s*<(h1|p)>(.*?)</\1>", re.S)
_LEADING_BLOCKS_READ = 3
#: A paragraph ending like this is a salutation or a sentence, not a title.
_NOT_A_TITLE_ENDING = tuple("：:。；;，,")
_IMAGE_SOURCE = "word-image:{}"
_TITLE_MAX = Article._meta.get_field("title").max_length


@dataclass
class WordImport:
    """The draft made from the document, and the pictures left out with why."""

    article: Article
    skipped_images: list = field(default_factory=list)


@dataclass
class _Picture:
    content: ContentFile
    source: str


def import_word(*, upload, column, by):
    """A draft in column, written by by, from an uploaded .docx; ValidationError if the file
    is no readable Word document (then nothing is stored)."""
    validate_word_document(upload)
    if column.unit is None:
        raise ValidationError(_("This column has no responsible unit yet."))
    pictures, skipped = [], []
    html = _convert(upload, pictures, skipped)
    document_number, title, html = _take_heading(html)
    stored = []
    try:
        with transaction.atomic():
            for picture in pictures:
                attachment = Attachment(title=picture.content.name, position=len(stored))
                attachment.file.save(picture.content.name, picture.content, save=False)
                stored.append(attachment)
                html = html.replace(f'"{picture.source}"', f'"{attachment.file.url}"')
            article = Article(
                title=(title or PurePath(upload.name).stem)[:_TITLE_MAX],
                document_number=document_number,
                body=html,
                column=column,
                unit=column.unit,
                author=by,
            )
            services.save_article(article=article, by=by, note=_("Imported from Word"))
            for attachment in stored:
                attachment.article = article
                attachment.save()
    except BaseException:
        # The rows are rolled back; the files stored for them must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return WordImport(article=article, skipped_images=skipped)


def _convert(upload, pictures, skipped):
    """mammoth's HTML of the document; pictures that pass the upload checks are collected
    with a placeholder src, the others named in skipped and given none."""

    def picture(image):
        number = len(pictures) + len(skipped) + 1
        extension = (mammoth.images.image_filename_extension(image) or "").lower()
        with image.open() as data:
            content = ContentFile(data.read(), name=f"word-image-{number}.{extension}")
        try:
            validate_attachment(content)
        except ValidationError as error:
            skipped.append(
                _("Picture %(number)s: %(reason)s")
                % {"number": number, "reason": " ".join(error.messages)}
            )
            return {}
        pictures.append(_Picture(content, _IMAGE_SOURCE.format(number)))
        return {"src": pictures[-1].source}

    upload.seek(0)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(upload.read()),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(picture),
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(
            _("“%(name)s” cannot be read as a Word document; save it again as .docx in Word.")
            % {"name": PurePath(upload.name).name},
            code="unreadable",
        ) from exc
    return result.value


def _take_heading(html):
    """(文号, 标题, rest of the body): the leading blocks that are the document number and the
    title are taken out; the title is a Title-styled paragraph, else the first short line
    that is not a sentence."""
    document_number = title = ""
    rest = html
    for _block in range(_LEADING_BLOCKS_READ):
        match = _LEADING_BLOCK.match(rest)
        if match is None:
            break
        text = unescape(strip_tags(match.group(2))).strip()
        if not document_number and DOCUMENT_NUMBER.match(text.replace(" ", "")):
            document_number = text.replace(" ", "")
        elif not title and text and (match.group(1) == "h1" or _looks_like_title(text)):
            title = text
        elif text:
            break
        rest = rest[match.end() :]
    return document_number, title, rest


def _looks_like_title(text):
    return len(text) <= _TITLE_MAX and not text.endswith(_NOT_A_TITLE_ENDING)
