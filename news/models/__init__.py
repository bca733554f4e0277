"""お知らせ (posts), 行事 (events) with their online registrations, and 社協だより.

Everything public here has a publication date that may lie in the future: a
post, event or issue appears on its own when its time comes, with no job
runner, because every public page, feed and search asks `published(now)`.

Registrations hold residents' names and contacts: they are for staff only
and reach no public page, feed or export. Only counts (残りの席) are public.
"""

from news.models.common import (  # noqa: F401
    MAX_CAPACITY,
    MAX_FEE,
    MAX_PARTY,
    RESERVED_CATEGORY_SLUGS,
    PublicationStatus,
    _now,
    _search,
    _start_of_day,
    flyer_path,
    generated_name,
    newsletter_cover_path,
    newsletter_pdf_path,
    post_attachment_path,
    post_image_path,
    validate_category_slug,
)
from news.models.events import (  # noqa: F401
    Accommodation,
    Event,
    EventQuerySet,
    EventStatus,
    Registration,
    RegistrationKind,
    RegistrationStatus,
)
from news.models.newsletters import (  # noqa: F401
    NewsletterArticle,
    NewsletterIssue,
    NewsletterIssueQuerySet,
)
from news.models.posts import (  # noqa: F401
    Category,
    Post,
    PostAttachment,
    PostImage,
    PostQuerySet,
)
