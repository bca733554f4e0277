"""What an organiser types into the 活動計画書 form, as the browser sends it.

The form tests and the view tests start from the same complete plan and break
one thing at a time, so a failure test cannot pass for a reason it did not mean.
"""

from dataclasses import dataclass

from tests.factories import (
    DistrictFactory,
    GrantProgramFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    TargetGroupFactory,
)


@dataclass
class World:
    program: object
    district: object
    salon: object
    elderly: object
    anyone: object
    exercise: object
    tea: object


def make_world() -> World:
    """令和8年度 open for plans (today is 2026-11-22), a district with one salon."""
    program = GrantProgramFactory()
    district = DistrictFactory(name="清音", reading="きよね")
    return World(
        program=program,
        district=district,
        salon=SalonFactory(name="ひまわりサロン", reading="ひまわりさろん", district=district),
        elderly=TargetGroupFactory(name="高齢者", slug="elderly"),
        anyone=TargetGroupFactory(name="どなたでも", slug="anyone"),
        exercise=SalonActivityTypeFactory(name="体操", slug="exercise"),
        tea=SalonActivityTypeFactory(name="茶話会", slug="tea"),
    )


def budget(side, *lines):
    """The formset fields for (item, amount) lines, typed as people type them."""
    data = {f"{side}-TOTAL_FORMS": str(len(lines) + 1), f"{side}-INITIAL_FORMS": "0"}
    for n, (item, amount) in enumerate(lines):
        data[f"{side}-{n}-item"] = item
        data[f"{side}-{n}-note"] = ""
        data[f"{side}-{n}-amount"] = amount
    # The blank row the page always offers.
    data.update({f"{side}-{len(lines)}-item": "", f"{side}-{len(lines)}-amount": ""})
    return data


def plan_data(world, **changes):
    """A complete 継続 plan, full-width digits and all. None in `changes` removes a field."""
    data = {
        "kind": "continuing",
        "salon": str(world.salon.pk),
        "salon_name": "",
        "salon_reading": "",
        "district": "",
        "target_groups": [str(world.elderly.pk)],
        "activity_types": [str(world.exercise.pk), str(world.tea.pk)],
        "representative_name": "髙﨑 花子",
        "representative_reading": "タカサキ ハナコ",
        "representative_phone": "０８６６－９２－８５５２",
        "representative_email": "hanako@example.jp",
        "representative_postal_code": "",
        "representative_address": "",
        "venue_name": "清音公会堂",
        "venue_address": "総社市清音軽部1-1",
        "frequency": "monthly",
        "weeks_of_month": ["2"],
        "weekday": "2",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "schedule_note": "8月はお休み",
        "first_session_on": "2026-04-08",
        "last_session_on": "2027-03-10",
        "sessions_planned": "１２",
        "expected_participants": "15",
        "expected_helpers": "3",
        "content": "体操のあと、お茶を飲みながらおしゃべりをします。",
        "requests_grant": "on",
        "consent": "on",
        "website": "",
        **budget("income", ("参加費", "18,000"), ("助成金", "１７，０００")),
        **budget("expense", ("茶菓代", "20000円"), ("材料費", "15000")),
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
