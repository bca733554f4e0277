"""One public thing of every kind that mentions a word mid-sentence, and one
private thing of every sort that mentions another word nobody may find."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from news.models import PublicationStatus
from salons.models import SalonStatus
from tests.factories import (
    ActivityFactory,
    ActivityLogFactory,
    AgendaItemFactory,
    CoordinatorFactory,
    CouncilFactory,
    CouncilMemberFactory,
    DistrictFactory,
    MeetingFactory,
    ResourceFactory,
    SalonFactory,
    SiteProfileFactory,
)
from tests.news.factories import (
    EventFactory,
    NewsletterArticleFactory,
    NewsletterIssueFactory,
    PostFactory,
    RegistrationFactory,
)

# Every public kind's text has this inside a sentence.
WORD = "敬老会"
# What only private fields, drafts and hidden rows hold.
SECRET = "極秘語"

KINDS = (
    "districts",
    "salons",
    "councils",
    "meetings",
    "reports",
    "resources",
    "posts",
    "events",
    "newsletters",
)


def build_world():
    """One public row of each kind with WORD mid-sentence (each also says その他)."""
    SiteProfileFactory()
    district = DistrictFactory(
        name="清音",
        reading="きよね",
        slug="kiyone",
        summary="",
        description=f"今年の{WORD}は公民館で開きました。",
    )
    salon = SalonFactory(
        name="ひまわりサロン",
        reading="ひまわりさろん",
        district=district,
        description=f"作った小物を地区の{WORD}でお配りしています。",
    )
    council = CouncilFactory(
        name="清音地区協議体",
        purpose=f"毎年の{WORD}を支える担い手を話し合います。",
    )
    meeting = MeetingFactory(council=council, title="第2回会議", minutes="見守りの報告。")
    AgendaItemFactory(meeting=meeting, title=f"秋の{WORD}の振り返り")
    report = ActivityLogFactory(
        published=True,
        title="地区の集まり",
        narrative=f"地区の{WORD}に伺い、参加者と話しました。",
    )
    resource = ResourceFactory(
        name="みどり食堂", reading="みどりしょくどう", description=f"毎月の{WORD}にも出店します。"
    )
    post = PostFactory(title="秋のたより", body=f"各地区で**{WORD}**が開かれました。")
    event = EventFactory(title="清音の集い", description=f"今年の{WORD}は体育館で行います。")
    issue = NewsletterIssueFactory(number=68, title="秋号")
    NewsletterArticleFactory(issue=issue, title="地区だより", body=f"今年の{WORD}の様子です。")
    return SimpleNamespace(
        district=district,
        salon=salon,
        council=council,
        meeting=meeting,
        report=report,
        resource=resource,
        post=post,
        event=event,
        issue=issue,
    )


def build_secrets():
    """Everything that must never be found, each holding SECRET somewhere private."""
    now = timezone.now()
    hidden_district = DistrictFactory(is_public=False, description=f"{SECRET}の地区")
    visible = DistrictFactory(summary="", description="公開の地区")
    SalonFactory(district=hidden_district, description=f"{SECRET}のサロン")
    SalonFactory(district=visible, status=SalonStatus.CLOSED, description=f"{SECRET}の終了")
    SalonFactory(district=visible, organiser_name=f"代表{SECRET}", description="公開")
    council = CouncilFactory(is_public=True, purpose="公開の協議体")
    CouncilFactory(is_public=False, purpose=f"{SECRET}の協議体")
    CouncilMemberFactory(council=council, representative_name=f"代表{SECRET}")
    MeetingFactory(council=council, staff_notes=f"職員メモ{SECRET}")
    MeetingFactory(council=CouncilFactory(is_public=False), minutes=f"{SECRET}の議事")
    ActivityLogFactory(narrative=f"内部記録{SECRET}")  # internal
    ActivityLogFactory(published=True, staff_notes=f"職員メモ{SECRET}")
    ActivityLogFactory(
        published=True,
        coordinator=CoordinatorFactory(is_public=False),
        narrative=f"{SECRET}の報告",
    )
    ResourceFactory(is_public=False, description=f"{SECRET}の資源")
    ResourceFactory(district=hidden_district, description=f"{SECRET}の資源")
    ResourceFactory(contact_name=f"連絡先{SECRET}")
    PostFactory(draft=True, body=f"下書き{SECRET}")
    PostFactory(scheduled=True, body=f"予約{SECRET}")
    PostFactory(ended=True, body=f"掲載終了{SECRET}")
    EventFactory(draft=True, description=f"下書き{SECRET}")
    EventFactory(scheduled=True, description=f"予約{SECRET}")
    RegistrationFactory(name=f"申込者{SECRET}")
    NewsletterArticleFactory(
        issue=NewsletterIssueFactory(status=PublicationStatus.DRAFT), body=f"{SECRET}の記事"
    )
    NewsletterArticleFactory(
        issue=NewsletterIssueFactory(published_at=now + datetime.timedelta(days=2)),
        body=f"{SECRET}の記事",
    )
    ActivityFactory(district=hidden_district, name=f"{SECRET}祭り")
    DistrictFactory(parent=hidden_district, description=f"{SECRET}の小地区")
