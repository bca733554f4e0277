"""What the news app's models share: upload paths, publication states, limits."""

import secrets
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# Path segments under /news/ that are pages, not category slugs.
RESERVED_CATEGORY_SLUGS = {"posts", "feed", "atom"}
# What one registration may bring; a bigger group calls the office.
MAX_PARTY = 10
MAX_CAPACITY = 100_000
MAX_FEE = 1_000_000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in Japan."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time()))


def _search(queryset, terms, fields):
    """Rows where every term appears in at least one of the fields (case-insensitive)."""
    for term in terms:
        term = term.strip()
        if term:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
    return queryset


def generated_name(prefix: str, filename: str) -> str:
    # The uploader never chooses the stored name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"news/{prefix}/{secrets.token_hex(16)}.{extension}"


def post_image_path(instance, filename):
    return generated_name("images", filename)


def post_attachment_path(instance, filename):
    return generated_name("files", filename)


def flyer_path(instance, filename):
    return generated_name("flyers", filename)


def newsletter_pdf_path(instance, filename):
    return generated_name("newsletters", filename)


def newsletter_cover_path(instance, filename):
    return generated_name("covers", filename)


def stored_names(instance, field_names) -> dict[str, str]:
    """The file names the database holds for this row now, before a save changes them."""
    if instance.pk is None:
        return {}
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*field_names).first()
    return row or {}


def delete_files_on_commit(storage, names) -> None:
    """Delete stored files once the change that dropped them is committed: a rolled-back
    save or deletion must still find its file."""
    for name in names:
        if name:
            transaction.on_commit(lambda name=name: storage.delete(name))


def delete_replaced_files(instance, before: dict[str, str]) -> None:
    """After a save: the files a field held before and no longer holds (replaced or
    cleared) are deleted, so no file stays behind that no row names."""
    for field_name, old_name in before.items():
        if old_name and getattr(instance, field_name).name != old_name:
            delete_files_on_commit(getattr(instance, field_name).storage, [old_name])


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開"


def validate_category_slug(value: str):
    if value in RESERVED_CATEGORY_SLUGS:
        raise ValidationError(
            "「%(value)s」はサイトのページの名前に使われているため、URL名にできません。",
            params={"value": value},
        )


# --- お知らせ --------------------------------------------------------------------------
