"""What may be uploaded (attachments, pictures, logos): types, sizes and matching content."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

#: Extension -> the leading bytes its content must start with. Office Open XML, OFD and ZIP
#: are zip containers; .doc/.xls are OLE compound files.
ATTACHMENT_SIGNATURES = {
    "pdf": [b"%PDF"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "docx": [b"PK\x03\x04"],
    "xls": [b"\xd0\xcf\x11\xe0"],
    "xlsx": [b"PK\x03\x04"],
    "ofd": [b"PK\x03\x04"],
    "zip": [b"PK\x03\x04", b"PK\x05\x06"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG"],
}
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png")
#: Extension -> the format Pillow must find: a signature followed by anything else is no image.
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


def attachment_max_bytes():
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


def _check(upload, allowed):
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(ext)s” cannot be attached; allowed types: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed)},
            code="forbidden_type",
        )
    if upload.size > attachment_max_bytes():
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(max)s.")
            % {
                "size": filesizeformat(upload.size),
                "max": filesizeformat(attachment_max_bytes()),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    mismatch = ValidationError(
        _("The content of “%(name)s” is not a %(ext)s file.")
        % {"name": PurePath(upload.name).name, "ext": extension},
        code="content_mismatch",
    )
    if not any(head.startswith(sig) for sig in ATTACHMENT_SIGNATURES[extension]):
        raise mismatch
    if extension in IMAGE_FORMATS:
        check_picture(upload, IMAGE_FORMATS[extension], mismatch)


def too_many_pixels(name):
    return ValidationError(
        _(
            "“%(name)s” has too many pixels to be opened safely; "
            "use a picture of at most %(max)s million pixels."
        )
        % {"name": name, "max": Image.MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def check_picture(upload, expected_format, mismatch, unreadable=None):
    """The upload decodes as expected_format and is no decompression bomb (a tiny file of
    huge dimensions that a viewer's browser would have to unpack). unreadable, when given, is
    raised for content that is no picture at all, mismatch for a picture of another format."""
    name = PurePath(upload.name or "").name
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            found, pixels = image.format, image.width * image.height
            image.verify()
    except Image.DecompressionBombError as exc:
        raise too_many_pixels(name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise (unreadable or mismatch) from exc
    finally:
        upload.seek(0)
    if found != expected_format:
        raise mismatch
    if pixels > Image.MAX_IMAGE_PIXELS:
        raise too_many_pixels(name)


def validate_attachment(upload):
    """附件: pdf, doc(x), xls(x), ofd, zip, jpg, png; limited in size; content must match."""
    _check(upload, tuple(ATTACHMENT_SIGNATURES))


def validate_cover_image(upload):
    """封面图片: jpg or png only."""
    _check(upload, IMAGE_EXTENSIONS)


def validate_word_document(upload):
    """Word 文档 to import as an article: .docx only (the zip-based format mammoth reads)."""
    _check(upload, ("docx",))
