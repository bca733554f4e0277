from io import StringIO

from django.core.management import call_command

from districts.models import Activity, ActivityType, District, WelfareCommitteeMember
from shakyo_portal.models import Office, SiteProfile


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loads_the_fourteen_districts_into_an_empty_database(db):
    assert "読み込みました" in load()
    top = list(District.objects.top_level().values_list("name", flat=True))
    assert top == [
        "総社", "常盤", "三須", "服部", "阿曽", "池田", "秦",
        "神在", "久代", "山田", "新本", "昭和", "山手", "清音",
    ]  # fmt: skip
    assert District.objects.get(name="清音").children.count() == 6
    assert Activity.objects.filter(district__name="常盤").count() >= 7
    assert ActivityType.objects.get(slug="kyushoku").activities.exists()
    assert SiteProfile.objects.count() == 1
    assert Office.objects.exists()
    # Some fictional members consented to publishing, some did not.
    members = WelfareCommitteeMember.objects.all()
    assert members.published().exists()
    assert members.filter(consent_date__isnull=True).exists()
    for obj in [*District.objects.all(), *members, *Activity.objects.all()]:
        obj.full_clean()


def test_never_overwrites_what_staff_changed(db):
    load()
    soja = District.objects.get(slug="soja")
    soja.summary = "職員が書き換えた紹介"
    soja.save()
    District.objects.filter(slug="kiyone-6").delete()
    assert "読み込みませんでした" in load()
    assert District.objects.get(slug="soja").summary == "職員が書き換えた紹介"
    assert not District.objects.filter(slug="kiyone-6").exists()


def test_demo_site_renders(resident, db):
    load()
    for url in ["/", "/districts/", "/districts/kiyone/", "/districts/activities/", "/contact/"]:
        assert resident.get(url).status_code == 200, url
    html = resident.get("/districts/activities/?type=kyushoku").content.decode()
    for name in ["常盤", "阿曽", "神在", "久代", "新本", "昭和"]:
        assert name in html
