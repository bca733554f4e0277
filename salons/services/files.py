"""Photos and PDFs sent with a plan or a report, stored under generated names."""

import logging

from django.db import transaction

from salons.models import ActivityPlan, ActivityReport, Attachment
from salons.workflow import WorkflowError

logger = logging.getLogger(__name__)


class StorageUnavailable(WorkflowError):
    """The files could not be written (disk full, read-only storage). Raised inside
    the writing transaction, so no row of this sending is kept either."""

    def __init__(self):
        super().__init__(
            "添付ファイルを保存できませんでした（サーバーの保存先に問題が起きています）。"
            "入力した内容はこの画面に残っています。ファイルを外して先に進むか、"
            "しばらくしてからもう一度お送りください。"
        )


def save_attachment(
    *,
    plan: ActivityPlan | None = None,
    report: ActivityReport | None = None,
    content,
    kind: str,
    content_type: str,
    original_name: str,
    size: int,
) -> Attachment:
    """Store an already validated and re-encoded upload under a generated name."""
    attachment = Attachment(
        plan=plan,
        report=report,
        kind=kind,
        content_type=content_type,
        original_name=original_name[:200],
        size=size,
    )
    attachment.file.save(content.name, content, save=False)
    attachment.save()
    return attachment


def save_attachments(uploads: list[dict], **owner) -> list[Attachment]:
    """All of a sending's files, or none: when the storage refuses one, the files
    this call already wrote are removed (their rows go with the transaction) and
    StorageUnavailable is raised. The storage removes its own half-written file."""
    saved = []
    try:
        for upload in uploads:
            saved.append(save_attachment(**owner, **upload))
    except OSError:
        logger.exception("Could not store an uploaded file; the sending is not kept")
        for attachment in saved:
            try:
                attachment.file.storage.delete(attachment.file.name)
            except OSError:
                logger.exception("Could not remove %s after a failed upload", attachment.file.name)
        raise StorageUnavailable from None
    return saved


def remove_attachments(attachments: list[Attachment]) -> None:
    """Delete the rows, and their files once the rows are surely gone."""
    if not attachments:
        return
    files = [attachment.file for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])
