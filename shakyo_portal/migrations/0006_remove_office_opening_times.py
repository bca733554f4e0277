"""The office's single pair of times is now its weekly timetable (0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shakyo_portal", "0005_office_timetable_from_times")]

    operations = [
        migrations.RemoveConstraint(model_name="office", name="office_opens_before_it_closes"),
        migrations.RemoveField(model_name="office", name="closes_at"),
        migrations.RemoveField(model_name="office", name="opens_at"),
    ]
