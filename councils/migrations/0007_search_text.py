# The folded search text of what councils/portal.py's SEARCH_KINDS search,
# with its trigram index (PostgreSQL only; see shakyo_portal/core/searchtext.py).

from django.db import migrations

from shakyo_portal.core.searchtext import AddSearchText


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0006_council_member_role_optional"),
        ("shakyo_portal", "0010_search_trigram"),
    ]

    operations = [
        AddSearchText("council", title=("name", "nickname"), text=("purpose", "description")),
        AddSearchText(
            "meeting",
            title=("title",),
            text=("place", "minutes", "guests", "status_reason", "replacement"),
        ),
        AddSearchText("agendaitem", text=("title",)),
    ]
