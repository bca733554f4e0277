# The folded search text of what districts/portal.py's SEARCH_KINDS search,
# with its trigram index (PostgreSQL only; see shakyo_portal/core/searchtext.py).

from django.db import migrations

from shakyo_portal.core.searchtext import AddSearchText


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0003_district_areas_updated_at"),
        ("shakyo_portal", "0010_search_trigram"),
    ]

    operations = [
        AddSearchText(
            "district", title=("name",), text=("summary", "description", "area_served")
        ),
        AddSearchText("activity", text=("name",)),
        AddSearchText("districtarea", title=("name",)),
    ]
