"""Photos and PDFs sent with a plan or a report, stored under generated names."""

from django.db import transaction

from salons.models import ActivityPlan, ActivityReport, Attachment


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


def remove_attachments(attachments: list[Attachment]) -> None:
    """Delete the rows, and their files once the rows are surely gone."""
    if not attachments:
        return
    files = [attachment.file for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])
