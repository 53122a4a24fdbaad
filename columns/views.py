"""Uploaded files, served to whoever columns.media says may read them."""

import mimetypes
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from .media import readable_file
from .uploads import IMAGE_FORMATS


@require_safe
def media_file(request, name):
    """媒体文件 — /media/<name>. Anything the request may not read is a 404, never a 403,
    so that a refusal does not confirm the file exists. In production nginx sends the bytes
    (X-Accel-Redirect to its internal location); elsewhere this view streams them."""
    found = readable_file(request, name)
    if found is None:
        raise Http404
    upload, public = found
    filename = PurePath(upload.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_LOCATION + quote(upload.name)
    else:
        try:
            response = FileResponse(
                upload.storage.open(upload.name, "rb"), content_type=content_type
            )
        except FileNotFoundError as exc:
            raise Http404 from exc
    picture = PurePath(filename).suffix.lower().lstrip(".") in IMAGE_FORMATS
    response["Content-Disposition"] = content_disposition_header(not picture, filename)
    # A withdrawn article's files must go soon: browsers keep public files five minutes only.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
