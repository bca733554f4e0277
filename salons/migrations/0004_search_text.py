# The folded search text of salons, for the site search and the /salons/
# keyword, with its trigram index (PostgreSQL only; see
# shakyo_portal/core/searchtext.py).

from django.db import migrations

from shakyo_portal.core.searchtext import AddSearchText


class Migration(migrations.Migration):
    dependencies = [
        ("salons", "0003_salon_schedule_changes"),
        ("shakyo_portal", "0010_search_trigram"),
    ]

    operations = [
        AddSearchText(
            "salon", title=("name",), text=("venue_name", "venue_address", "description")
        ),
    ]
