"""Each existing office gets the timetable it had implicitly: 月〜金 from its
opens_at to its closes_at, closed on 祝日 and 12/29〜1/3 (the new fields'
defaults), so no page says anything different after the upgrade."""

from django.db import migrations

WEEKDAYS = range(5)


def timetable_from_times(apps, schema_editor):
    Office = apps.get_model("shakyo_portal", "Office")
    Period = apps.get_model("shakyo_portal", "OfficeHoursPeriod")
    Period.objects.bulk_create(
        Period(office=office, weekday=day, opens=office.opens_at, closes=office.closes_at)
        for office in Office.objects.all()
        for day in WEEKDAYS
    )


def times_from_timetable(apps, schema_editor):
    # Back to one pair of times: Monday's first opening and last closing
    # (the old fields' defaults when an office has no Monday).
    Office = apps.get_model("shakyo_portal", "Office")
    for office in Office.objects.all():
        monday = list(office.hours_periods.filter(weekday=0).order_by("opens"))
        if monday:
            office.opens_at, office.closes_at = monday[0].opens, monday[-1].closes
            office.save(update_fields=["opens_at", "closes_at"])


class Migration(migrations.Migration):
    dependencies = [("shakyo_portal", "0004_office_hours_as_data")]

    operations = [migrations.RunPython(timetable_from_times, times_from_timetable)]
