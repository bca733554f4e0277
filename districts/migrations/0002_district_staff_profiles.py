# The assignment of 地区担当 to districts moves from StaffProfile.districts
# (shakyo_portal 0003 used to create it) to District.staff_profiles, so the
# shakyo_portal app's migrations no longer depend on districts. The table and
# its columns keep their names: a database that has the table keeps its rows,
# and a new one gets the table here.

from django.db import migrations, models


def create_table_if_missing(apps, schema_editor):
    District = apps.get_model("districts", "District")
    through = District._meta.get_field("staff_profiles").remote_field.through
    if through._meta.db_table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(through)


def drop_table(apps, schema_editor):
    District = apps.get_model("districts", "District")
    schema_editor.delete_model(District._meta.get_field("staff_profiles").remote_field.through)


class Migration(migrations.Migration):

    dependencies = [
        ('districts', '0001_initial'),
        ('shakyo_portal', '0003_staff_profiles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='district',
                    name='staff_profiles',
                    field=models.ManyToManyField(blank=True, db_table='shakyo_portal_staffprofile_districts', editable=False, related_name='districts', to='shakyo_portal.staffprofile', verbose_name='担当職員'),
                ),
            ],
        ),
        migrations.RunPython(create_table_if_missing, drop_table),
    ]
