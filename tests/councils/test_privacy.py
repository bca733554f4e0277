"""Staff notes, representatives who did not consent and hidden councils never
reach a public page, a feed or a search: each is created here and looked for in
every public response the councils app gives."""

import pytest

from councils.models import Council, Meeting
from tests.councils.scenario import HIDDEN_NAME, SECRET, build_councils, public_pages


@pytest.fixture
def world(db):
    return build_councils()


def every_public_response(client, world):
    paths = [path for _name, path in public_pages(world)]
    paths += ["/councils/calendar.ics"]
    paths += [
        f"/councils/{c.slug}/calendar.ics" for c in (world.city, world.local, world.irregular)
    ]
    paths += [f"{world.local.get_absolute_url()}?page=2", "/councils/?district=kiyone-1"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        # iCalendar folds long lines; unfold before looking.
        yield path, body.replace("\r\n ", "")


def test_nothing_private_reaches_a_public_response(resident, world):
    checked = 0
    for path, body in every_public_response(resident, world):
        assert SECRET not in body, path
        assert HIDDEN_NAME not in body, path
        assert "非公開の協議体" not in body, path
        assert "/councils/hidden/" not in body, path
        checked += 1
    assert checked >= 20
    # And what is public is there: the check looks at real pages.
    consented = resident.get(world.local.get_absolute_url()).content.decode()
    assert "山﨑 花子" in consented


def test_staff_see_the_notes_in_the_admin_only(superuser, world):
    meeting = world.past["held"]
    html = superuser.get(f"/admin/councils/meeting/{meeting.pk}/change/").content.decode()
    assert SECRET in html
    assert SECRET not in superuser.get(meeting.get_absolute_url()).content.decode()


def test_a_withdrawn_consent_hides_the_name_again(resident, world):
    chair = world.members["chair"]
    chair.publish_representative = False
    chair.save()
    html = resident.get(world.local.get_absolute_url()).content.decode()
    assert "山﨑 花子" not in html
    assert "清音地区社協" in html


def test_search_never_finds_private_things(world):
    assert not Meeting.objects.search(SECRET).exists()
    assert not Meeting.objects.search("欠席の団体に電話").exists()
    assert not Council.objects.search(SECRET).exists()
    assert not Council.objects.search(HIDDEN_NAME).exists()
    assert Meeting.objects.search("買い物支援").exists()


def test_hidden_councils_pages_and_feeds_are_404(resident, world):
    hidden_meeting = world.hidden.meetings.get()
    for path in [
        world.hidden.get_absolute_url(),
        hidden_meeting.get_absolute_url(),
        "/councils/hidden/calendar.ics",
    ]:
        assert resident.get(path).status_code == 404, path
