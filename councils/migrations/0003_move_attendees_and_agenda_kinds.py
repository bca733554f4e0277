"""Today's attendees become participant rows, in the order the meeting page
listed them (role, then the member's order); today's seven agenda kinds become
rows of the list staff extend, and every agenda item keeps its kind.

The old free-text guests stay where they are (now 「その他の参加者（まとめて）」):
splitting 「市長寿介護課、地域住民」 into people would invent a structure the
council never wrote. Going back, guest rows (which did not exist before) are
dropped; members and kinds return as they were."""

from django.db import migrations

# (old code, name), in the order the old choices listed them.
KINDS = [
    ("report", "報告"),
    ("information", "情報共有"),
    ("case", "事例発表"),
    ("discussion", "意見交換"),
    ("decision", "協議"),
    ("training", "講演・研修"),
    ("other", "その他"),
]
STEP = 10


def forwards(apps, schema_editor):
    Kind = apps.get_model("councils", "AgendaItemKind")
    AgendaItem = apps.get_model("councils", "AgendaItem")
    Meeting = apps.get_model("councils", "Meeting")
    Participant = apps.get_model("councils", "MeetingParticipant")

    for order, (code, name) in enumerate(KINDS, start=1):
        kind, _ = Kind.objects.get_or_create(name=name, defaults={"display_order": order * STEP})
        AgendaItem.objects.filter(kind=code).update(kind_ref=kind)
    # A code no choice knew (none should exist) still keeps its words.
    for code in AgendaItem.objects.filter(kind_ref__isnull=True).values_list("kind", flat=True):
        if code:
            kind, _ = Kind.objects.get_or_create(name=code[:30], defaults={"display_order": 999})
            AgendaItem.objects.filter(kind=code, kind_ref__isnull=True).update(kind_ref=kind)

    Attendance = Meeting.attendees.through
    rows = []
    for meeting_id in Attendance.objects.values_list("meeting_id", flat=True).distinct():
        members = (
            Attendance.objects.filter(meeting_id=meeting_id)
            .order_by("councilmember__role", "councilmember__display_order", "councilmember_id")
            .values_list("councilmember_id", flat=True)
        )
        rows += [
            Participant(meeting_id=meeting_id, member_id=member_id, display_order=n * STEP)
            for n, member_id in enumerate(members, start=1)
        ]
    Participant.objects.bulk_create(rows, batch_size=500)


def backwards(apps, schema_editor):
    AgendaItem = apps.get_model("councils", "AgendaItem")
    Meeting = apps.get_model("councils", "Meeting")
    Participant = apps.get_model("councils", "MeetingParticipant")
    codes = {name: code for code, name in KINDS}
    for item in AgendaItem.objects.select_related("kind_ref"):
        item.kind = codes.get(item.kind_ref.name, "other") if item.kind_ref else "other"
        item.save(update_fields=["kind"])
    Attendance = Meeting.attendees.through
    Attendance.objects.bulk_create(
        [
            Attendance(meeting_id=meeting_id, councilmember_id=member_id)
            for meeting_id, member_id in Participant.objects.filter(
                member__isnull=False
            ).values_list("meeting_id", "member_id")
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_meeting_precision_participants_agenda_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
