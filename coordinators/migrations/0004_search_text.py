# The folded search text of what coordinators/portal.py's SEARCH_KINDS search,
# with its trigram index (PostgreSQL only; see shakyo_portal/core/searchtext.py).

from django.db import migrations

from shakyo_portal.core.searchtext import AddSearchText


class Migration(migrations.Migration):
    dependencies = [
        ("coordinators", "0003_published_and_date_indexes"),
        ("shakyo_portal", "0010_search_trigram"),
    ]

    operations = [
        AddSearchText("activitylog", title=("title",), text=("narrative", "place")),
        AddSearchText(
            "resource",
            title=("name",),
            text=("summary", "description", "help_offered", "address"),
        ),
    ]
