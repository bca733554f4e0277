# The trigram index type the search columns use (shakyo_portal/core/searchtext.py).
# PostgreSQL only: the operation does nothing on SQLite. pg_trgm is a trusted
# extension, so the site's own database owner may create it.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shakyo_portal", "0009_outgoing_mail"),
    ]

    operations = [
        TrigramExtension(),
    ]
