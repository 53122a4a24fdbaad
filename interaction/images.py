"""What a citizen may attach to a message: a few small JPEG or PNG pictures, really images."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from columns.uploads import IMAGE_FORMATS, check_picture

MAX_IMAGES = 3


def image_max_bytes():
    return getattr(settings, "INTERACTION_IMAGE_MAX_BYTES", 2 * 1024 * 1024)


def validate_message_image(upload):
    """留言图片: jpg or png, at most 2 MB, and the content must decode as that format."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a picture: only JPG and PNG images may be attached.")
            % {"name": name},
            code="forbidden_type",
        )
    if upload.size > image_max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s; each picture may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(image_max_bytes()),
            },
            code="too_large",
        )
    check_picture(
        upload,
        IMAGE_FORMATS[extension],
        mismatch=ValidationError(
            _("The content of “%(name)s” is not a %(ext)s image.")
            % {"name": name, "ext": extension.upper()},
            code="content_mismatch",
        ),
        unreadable=ValidationError(
            _("“%(name)s” cannot be read as an image.") % {"name": name}, code="not_an_image"
        ),
    )
