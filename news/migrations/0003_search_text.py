# The folded search text of what news/portal.py's SEARCH_KINDS search, with
# its trigram index (PostgreSQL only; see shakyo_portal/core/searchtext.py).

from django.db import migrations

from shakyo_portal.core.searchtext import AddSearchText


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_newsletter_dates_pages_and_titles_only"),
        ("shakyo_portal", "0010_search_trigram"),
    ]

    operations = [
        AddSearchText("post", title=("title",), text=("summary", "body")),
        AddSearchText(
            "event", title=("title",), text=("description", "place", "target", "organiser")
        ),
        AddSearchText("newsletterissue", title=("title",)),
        AddSearchText("newsletterarticle", text=("title", "body")),
    ]
