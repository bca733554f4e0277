"""apply_retention: expired personal data goes (or loses its names), fresh data
stays, a second run finds nothing, and --dry-run changes nothing."""

import datetime
import io
import json
from importlib import import_module

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from districts.models import WelfareCommitteeMember
from news.models import Event, Registration
from salons.models import (
    ActivityPlan,
    Attachment,
    Grant,
    PlanStatus,
    StatusChange,
    StatusSubject,
)
from shakyo_portal.backoffice import retention
from shakyo_portal.core.declarations.records import DELETE, RetentionRule
from shakyo_portal.core.models import MailStatus, OutgoingMail
from shakyo_portal.staff import audit
from shakyo_portal.staff.models import StaffSession
from tests.factories import ActivityPlanFactory, UserFactory, WelfareCommitteeMemberFactory
from tests.news.factories import EventFactory, RegistrationFactory

DAY = datetime.timedelta(days=1)

FIRST_RUN = [
    "行事の申込（終了から1年）: 2件を削除",
    "不承認の活動計画書（決定から5年）: 1件を削除、1件を匿名化",
    "提出されなかった活動計画書の下書き（最後の保存から1年）: 1件を削除",
    "福祉委員（任期の終了から5年）: 1件を匿名化",
    "変更履歴（5年）: 1件を削除",
    "ログインの記録（1年）: 1件を削除",
    "ログイン失敗の記録（1年）: 1件を削除",
    "終了したログインセッション: 2件を削除",
    "送信済みのメール（7日）: 1件を削除",
    "送れなかったメール（30日）: 1件を削除",
    "送信処理の記録（7日）: 1件を削除",
]


def event_held(days_ago, *, ends=True):
    event = EventFactory(signup=True)
    starts = timezone.now() - days_ago * DAY
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2) if ends else None
    )
    return event


def rejected_plan(days_ago, **fields):
    plan = ActivityPlanFactory(status=PlanStatus.REJECTED, **fields)
    change = StatusChange.objects.create(
        plan=plan,
        subject=StatusSubject.PLAN,
        from_status=PlanStatus.REVIEWING,
        to_status=PlanStatus.REJECTED,
        reason="対象の条件に合いません。",
    )
    StatusChange.objects.filter(pk=change.pk).update(at=timezone.now() - days_ago * DAY)
    return plan


def login_record(model, days_ago):
    row = model.objects.create(
        user_agent="test", ip_address="192.0.2.1", username="clerk", http_accept="*/*"
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - days_ago * DAY)
    return row


@pytest.fixture
def data(db):
    """Each rule's expired rows next to rows just inside their period."""
    today = timezone.localdate()
    old_registration = RegistrationFactory(
        event=event_held(400), name="古井 申子", phone="090-5555-0001"
    )
    old_registration.phone = "090-5555-0002"  # the history now holds both numbers
    old_registration.save()
    unended = RegistrationFactory(event=event_held(370, ends=False), name="終日 行子")
    fresh_registration = RegistrationFactory(event=event_held(300), name="新井 申子")

    old_rejected = rejected_plan(6 * 365, representative_name="却下 太郎")
    protected = rejected_plan(6 * 365, representative_name="交付 次郎")
    Grant.objects.create(
        plan=protected, computed_amount=1000, amount=1000, decided_on=datetime.date(2019, 5, 1)
    )
    fresh_rejected = rejected_plan(4 * 365, representative_name="最近 三郎")
    old_draft = ActivityPlanFactory(representative_name="下書 四郎")
    attachment = Attachment.objects.create(
        plan=old_draft,
        file=ContentFile(b"%PDF-1.4 test", name="plan.pdf"),
        kind="document",
        content_type="application/pdf",
        original_name="下書四郎の計画.pdf",
    )
    ActivityPlan.objects.filter(pk=old_draft.pk).update(updated_at=timezone.now() - 400 * DAY)
    fresh_draft = ActivityPlanFactory(representative_name="途中 五郎")

    old_member = WelfareCommitteeMemberFactory(
        name="引退 六子",
        term_start=today.replace(year=today.year - 10),
        term_end=today.replace(year=today.year - 6),
        consent_date=today.replace(year=today.year - 10),
        publish_name=True,
    )
    recent_member = WelfareCommitteeMemberFactory(
        name="近年 七子",
        term_start=today.replace(year=today.year - 6),
        term_end=today.replace(year=today.year - 2),
    )

    old_entry = audit.LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Event),
        object_pk="1",
        object_repr="古い履歴",
        action=audit.LogEntry.Action.UPDATE,
        timestamp=timezone.now() - 6 * 365 * DAY,
    )
    old_login, fresh_login = login_record(AccessLog, 400), login_record(AccessLog, 300)
    old_failure = login_record(AccessFailureLog, 400)
    fresh_failure = login_record(AccessFailureLog, 300)

    clerk = UserFactory(staff=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    live = store()
    live.create()
    expired = store()
    expired.set_expiry(-60)
    expired.create()
    live_session = StaffSession.objects.create(user=clerk, session_key=live.session_key)
    StaffSession.objects.create(user=clerk, session_key=expired.session_key)
    StaffSession.objects.create(user=clerk, session_key="x" * 32)

    def mail(status, days_ago, **fields):
        sent = OutgoingMail.objects.create(to="hanako@example.jp", subject="件名", status=status)
        OutgoingMail.objects.filter(pk=sent.pk).update(
            created_at=timezone.now() - days_ago * DAY, **fields
        )
        return sent

    old_sent = mail(MailStatus.SENT, 8, sent_at=timezone.now() - 8 * DAY)
    fresh_sent = mail(MailStatus.SENT, 6, sent_at=timezone.now() - 6 * DAY)
    old_failed = mail(MailStatus.FAILED, 31)
    fresh_failed = mail(MailStatus.FAILED, 29)

    def task_result(days_ago):
        return DBTaskResult.objects.create(
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="shakyo_portal.core.mail.send_queued_mail",
            backend_name="default",
            run_after=get_date_max(),
            status=TaskResultStatus.SUCCESSFUL,
            finished_at=timezone.now() - days_ago * DAY,
        )

    old_task, fresh_task = task_result(8), task_result(6)

    return locals()


def apply_retention(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def history_text() -> str:
    rows = audit.LogEntry.objects.values(
        "object_repr", "changes", "changes_text", "serialized_data", "additional_data"
    )
    return json.dumps(list(rows), ensure_ascii=False)


def test_expired_rows_go_and_fresh_rows_stay(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lines, errors = apply_retention()
    assert lines == FIRST_RUN
    assert errors == ""

    remaining = set(Registration.objects.values_list("pk", flat=True))
    assert remaining == {data["fresh_registration"].pk}
    plans = set(ActivityPlan.objects.values_list("pk", flat=True))
    assert plans == {data["protected"].pk, data["fresh_rejected"].pk, data["fresh_draft"].pk}
    protected = ActivityPlan.objects.get(pk=data["protected"].pk)
    assert protected.representative_name == "削除済み"
    assert protected.representative_phone == "" and protected.grant.amount == 1000
    assert ActivityPlan.objects.get(pk=data["fresh_rejected"].pk).representative_name == "最近 三郎"
    # The draft's attachment went with it, file and all.
    assert not Attachment.objects.exists()
    assert not data["attachment"].file.storage.exists(data["attachment"].file.name)

    member = WelfareCommitteeMember.objects.get(pk=data["old_member"].pk)
    assert (member.name, member.phone, member.email) == ("削除済み", "", "")
    assert not member.publishes_anything and member.district_id == data["old_member"].district_id
    recent = WelfareCommitteeMember.objects.get(pk=data["recent_member"].pk)
    assert recent.name == "近年 七子"

    assert not audit.LogEntry.objects.filter(pk=data["old_entry"].pk).exists()
    assert list(AccessLog.objects.all()) == [data["fresh_login"]]
    assert list(AccessFailureLog.objects.all()) == [data["fresh_failure"]]
    assert list(StaffSession.objects.all()) == [data["live_session"]]
    assert set(OutgoingMail.objects.all()) == {data["fresh_sent"], data["fresh_failed"]}
    assert list(DBTaskResult.objects.all()) == [data["fresh_task"]]


def test_the_history_forgets_them_and_records_the_run(data, django_capture_on_commit_callbacks):
    text = history_text()
    assert "古井 申子" in text and "090-5555-0001" in text and "下書四郎の計画.pdf" in text
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention()
    text = history_text()
    for gone in (
        "古井 申子",
        "090-5555-0001",
        "090-5555-0002",
        "終日 行子",
        "却下 太郎",
        "交付 次郎",
        "下書 四郎",
        "下書四郎の計画.pdf",
        "引退 六子",
    ):
        assert gone not in text, gone
    for kept in ("新井 申子", "最近 三郎", "途中 五郎", "近年 七子"):
        assert kept in text, kept

    runs = audit.LogEntry.objects.filter(additional_data__event="retention")
    assert runs.count() == len(FIRST_RUN)
    entry = runs.get(additional_data__rule="行事の申込（終了から1年）")
    assert entry.actor is None and audit.describe(entry)["actor"] == "システム"
    assert entry.object_repr == "保存期間の経過: 行事の申込（終了から1年）: 2件を削除"
    assert sorted(entry.additional_data["pks"]) == sorted(
        [str(data["old_registration"].pk), str(data["unended"].pk)]
    )


def test_a_second_run_finds_nothing(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention()
    entries = audit.LogEntry.objects.count()
    lines, _ = apply_retention()
    assert lines == [line.split(": ")[0] + ": 対象なし" for line in FIRST_RUN]
    assert audit.LogEntry.objects.count() == entries


def test_a_dry_run_counts_and_changes_nothing(data):
    counts = [
        model.objects.count()
        for model in (Registration, ActivityPlan, audit.LogEntry, AccessLog, StaffSession)
    ]
    text = history_text()
    lines, _ = apply_retention("--dry-run")
    assert lines[0] == "行事の申込（終了から1年）: 2件を削除する予定（変更していません）"
    assert lines[1] == "不承認の活動計画書（決定から5年）: 2件を削除する予定（変更していません）"
    assert lines[3] == "福祉委員（任期の終了から5年）: 1件を匿名化する予定（変更していません）"
    assert counts == [
        model.objects.count()
        for model in (Registration, ActivityPlan, audit.LogEntry, AccessLog, StaffSession)
    ]
    assert history_text() == text


def test_a_failing_rule_is_reported_and_the_others_still_run(data, monkeypatch):
    broken = RetentionRule(
        "壊れた規則",
        Registration,
        lambda now: Registration.objects.filter(no_such_field=1),
        DELETE,
        order=0,
    )
    first = retention.rules()[0]
    monkeypatch.setattr(retention, "rules", lambda: (broken, first))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1件の規則が失敗しました"):
        call_command("apply_retention", stdout=out, stderr=err)
    assert err.getvalue().startswith("壊れた規則: 失敗しました（")
    assert out.getvalue().splitlines() == ["行事の申込（終了から1年）: 2件を削除"]
    assert Registration.objects.count() == 1
