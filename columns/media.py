"""Uploaded files (媒体文件): how they are stored and who may read them.

Every upload is stored under a random folder, so no name can be guessed, and every picture
without its metadata. Which object owns a file, and who may read it, is declared by each app
for its own models with register(): anyone when the owner is public, otherwise the staff
whose admin may show the owner (the one scoping of admin pages, columns.admin_scoping).
"""

import io
import posixpath
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps

from .passwords import password_current
from .second_factor import verified_if_required
from .uploads import IMAGE_FORMATS

_ENCODING = {"JPEG": {"quality": 90}, "PNG": {}}


def without_metadata(content, extension):
    """The picture re-encoded with its orientation applied and no EXIF (GPS position, camera,
    time), XMP, comments or text chunks; the colour profile and transparency are kept."""
    content.seek(0)
    with Image.open(content) as original:
        picture = ImageOps.exif_transpose(original)
        kept = {
            key: original.info[key]
            for key in ("icc_profile", "transparency")
            if key in original.info
        }
        picture.info = {}
        buffer = io.BytesIO()
        picture.save(
            buffer, IMAGE_FORMATS[extension], **kept, **_ENCODING[IMAGE_FORMATS[extension]]
        )
    return ContentFile(buffer.getvalue())


class MediaStorage(FileSystemStorage):
    """The uploads' storage: a random folder per file, pictures stripped of metadata."""

    def generate_filename(self, filename):
        # The file keeps its own (cleaned) name, for the download's Content-Disposition.
        folder, name = posixpath.split(str(filename).replace("\\", "/"))
        return super().generate_filename(posixpath.join(folder, secrets.token_urlsafe(16), name))

    def _save(self, name, content):
        extension = PurePath(name).suffix.lower().lstrip(".")
        if extension in IMAGE_FORMATS:
            content = without_metadata(content, extension)
        return super()._save(name, content)


@dataclass(frozen=True)
class FileHolder:
    """A file field of a model: owner is the lookup to the object whose visibility decides
    ("" for the model itself); public, when given, returns the owners anyone may read."""

    model: type
    field: str
    owner: str = ""
    public: object = None

    @property
    def folder(self):
        """The fixed start of the field's upload_to: where its files are looked up."""
        upload_to = self.model._meta.get_field(self.field).upload_to
        return upload_to.split("%", 1)[0]

    def row(self, name):
        return self.model._default_manager.filter(**{self.field: name}).first()

    def owner_of(self, row):
        for step in filter(None, self.owner.split("__")):
            row = getattr(row, step)
        return row

    def is_public(self, owner):
        return self.public is not None and self.public().filter(pk=owner.pk).exists()


_holders = []


def register(model, field, *, owner="", public=None):
    """Declare that model.field holds uploads, readable by all when public() holds its owner
    and otherwise by the staff whose admin shows the owner. Called from each app's ready()."""
    holder = FileHolder(model, field, owner, public)
    if holder not in _holders:
        _holders.append(holder)


def registered():
    return list(_holders)


def staff_may_read(request, owner):
    """The staff member's admin would show this object: model permission and unit scoping."""
    if not admin.site.has_permission(request) or not admin.site.is_registered(type(owner)):
        return False
    # Not before the admin pages themselves: the password changed and the second factor given.
    if not (password_current(request.user) and verified_if_required(request.user)):
        return False
    model_admin = admin.site.get_model_admin(type(owner))
    return (
        model_admin.has_view_permission(request, owner)
        and model_admin.get_queryset(request).filter(pk=owner.pk).exists()
    )


def readable_file(request, name):
    """(field file, public) for a stored name the request may read, or None: unknown names
    and files the request may not read are the same to the caller."""
    for holder in _holders:
        if not name.startswith(holder.folder):
            continue
        row = holder.row(name)
        if row is None:
            continue
        owner = holder.owner_of(row)
        if holder.is_public(owner):
            return getattr(row, holder.field), True
        if staff_may_read(request, owner):
            return getattr(row, holder.field), False
    return None
