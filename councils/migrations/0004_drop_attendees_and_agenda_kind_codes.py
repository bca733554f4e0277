import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_move_attendees_and_agenda_kinds"),
    ]

    operations = [
        migrations.RemoveField(model_name="meeting", name="attendees"),
        migrations.RemoveField(model_name="agendaitem", name="kind"),
        migrations.RenameField(model_name="agendaitem", old_name="kind_ref", new_name="kind"),
        migrations.AlterField(
            model_name="agendaitem",
            name="kind",
            field=models.ForeignKey(
                blank=True,
                help_text="分からないときは空欄のままにします。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="items",
                to="councils.agendaitemkind",
                verbose_name="種類",
            ),
        ),
    ]
