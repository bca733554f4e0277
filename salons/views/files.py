"""The private files of plans and reports, served to staff only.

Attachments live in STORAGES["private"], outside MEDIA_ROOT, so no URL but this view reaches
them. Someone who may not see the plan or report gets the same 404 as for a file that does not
exist: attachment numbers cannot be probed.
"""

from pathlib import PurePath

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from salons.models import Attachment
from shakyo_portal.staff import access

SERVED_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def can_view_attachment(request, attachment: Attachment) -> bool:
    """Staff who may view the attachment's plan or report may view the file."""
    return access.staff_session(request) and access.can(
        request.user, "view", attachment.plan or attachment.report
    )


@require_safe
def attachment(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    item = get_object_or_404(Attachment, pk=pk)
    if not can_view_attachment(request, item):
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):  # gone from disk, or no file recorded
        raise Http404 from None

    # A HEIC was stored as JPEG, a PNG named .jpg as PNG: the download gets the real
    # extension, with the name the organiser knows.
    extension = PurePath(item.file.name).suffix
    stem = PurePath(item.original_name).stem if item.original_name else f"attachment-{item.pk}"
    content_type = (
        item.content_type if item.content_type in SERVED_TYPES else "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=f"{stem}{extension}", content_type=content_type
    )
    # Personal data: no shared cache, and no copy left in the browser's cache either.
    response["Cache-Control"] = "private, no-store"
    return response
