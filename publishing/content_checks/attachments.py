"""附件检查 — the text of PDF, DOCX, XLSX and TXT attachments, checked like any text.

A file that cannot be read (corrupt, encrypted, or of a type without extractable text)
gives one "cannot read" block finding a reviewer must decide on, never an exception.
"""

import io
import zipfile
from dataclasses import replace
from pathlib import PurePath

from django.utils.translation import gettext as _

from .checker import check_text
from .findings import Finding, Rule, Severity

#: Types that carry no text worth checking; pictures are looked at by the reviewers.
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif")
#: Enough for any real document; more is cut off rather than blowing up memory.
MAX_TEXT_CHARACTERS = 2_000_000


class UnreadableAttachment(Exception):
    """The file's text could not be extracted; the message says why, for the reviewer."""


def _pdf_text(data):
    from pypdf import PdfReader  # noqa: PLC0415 — heavy; only loaded when a PDF comes
    from pypdf.errors import DependencyError, PdfReadError  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
    except PdfReadError as error:
        raise UnreadableAttachment(
            _("the PDF is damaged (%(error)s)") % {"error": error}
        ) from error
    if reader.is_encrypted:
        # An empty user password still lets anyone read it; otherwise we cannot, and
        # AES without the optional crypto library is as closed to us as a real password.
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError, PdfReadError):
            opened = False
        if not opened:
            raise UnreadableAttachment(_("the PDF is encrypted"))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data):
    import docx  # noqa: PLC0415

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        # A password-protected Word file is an OLE container, not a zip: it lands here too.
        raise UnreadableAttachment(_("the Word file is damaged or password-protected")) from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(data):
    import openpyxl  # noqa: PLC0415

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableAttachment(_("the Excel file is damaged or password-protected")) from error
    parts = []
    size = 0
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join("" if value is None else str(value) for value in row)
                parts.append(line)
                size += len(line)
                if size > MAX_TEXT_CHARACTERS:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _txt_text(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableAttachment(_("the text file is in an unknown encoding"))


EXTRACTORS = {"pdf": _pdf_text, "docx": _docx_text, "xlsx": _xlsx_text, "txt": _txt_text}


def extract_text(name, data):
    """The text of the file named name with content data; raises UnreadableAttachment."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        raise UnreadableAttachment(
            _("files of type “%(ext)s” cannot be checked automatically") % {"ext": extension}
        )
    return extractor(data)[:MAX_TEXT_CHARACTERS]


def unreadable_finding(name, reason):
    return Finding(
        rule=Rule.UNREADABLE_ATTACHMENT,
        severity=Severity.BLOCK,
        category=str(_("Attachment")),
        match=name,
        start=0,
        end=0,
        suggestion=_("Cannot read “%(name)s”: %(reason)s. A reviewer must open it and decide.")
        % {"name": name, "reason": reason},
        source=name,
    )


def check_file(name, data, *, source=None, **options):
    """附件检查: findings for the text of the file (name, bytes), each with source=source.

    The type comes from name, the stored file's name (whose extension the upload checks
    matched against the content), never from a title a person typed; source is what the
    findings show, the file name unless given. options are passed on to check_text.
    """
    source = source or name
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension in IMAGE_EXTENSIONS:
        return []
    try:
        text = extract_text(name, data)
    except UnreadableAttachment as reason:
        return [unreadable_finding(source, str(reason))]
    except Exception as error:  # noqa: BLE001 — parsers of hostile files raise anything
        return [unreadable_finding(source, _("the file is damaged (%(error)s)") % {"error": error})]
    return [replace(finding, source=source) for finding in check_text(text, **options)]
