"""The site's own parts (shakyo_portal/core/declarations): the council's
profile and pages, staff accounts, the audit trail and the login log.

Like settings and urls this module sits at the top and may use any floor; the
third-party models staff reach through the admin (auth, axes, auditlog,
django-otp) and the mail queue's table (django-tasks-db) are declared here too,
as part of the site they were installed for.
"""

from datetime import timedelta
from importlib import import_module

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shakyo_portal.core.declarations.cache import PageCacheTopic
from shakyo_portal.core.declarations.demo import DemoPart
from shakyo_portal.core.declarations.public import NavigationEntry, SitemapPage
from shakyo_portal.core.declarations.records import PURGE, RetentionRule, years_before
from shakyo_portal.core.models import MailStatus, OutgoingMail
from shakyo_portal.staff.audit import LogEntry, Tracked
from shakyo_portal.staff.models import StaffSession
from shakyo_portal.staff.roles import (
    ADMIN_ONLY,
    AUDIT,
    CONTENT,
    SETTINGS,
    ModelRule,
    Role,
)

# --- public pages ---------------------------------------------------------------------

SITEMAP_PAGES = (
    SitemapPage("home", order=0),
    SitemapPage("calendar", order=85),
    SitemapPage("contact", order=100),
    SitemapPage("about", order=101),
    SitemapPage("about_plan", order=102),
)
NAVIGATION = (
    NavigationEntry("予定カレンダー", "calendar", order=90),
    NavigationEntry("お問合せ", "contact", order=100),
)

NO_SEARCH = {
    "shakyo_portal.practiceplan": "the one plan is the page /about/plan/, reached from the menu",
}
NO_SITEMAP = {
    "shakyo_portal.practiceplan": "its one page is in the sitemap's pages (SITEMAP_PAGES)",
}

# --- staff policy ---------------------------------------------------------------------

ROLE_RULES = {
    # Site settings and accounts.
    "shakyo_portal.siteprofile": ModelRule(roles=SETTINGS),
    "shakyo_portal.privacypolicy": ModelRule(roles=SETTINGS),
    "shakyo_portal.privacypolicysection": ModelRule(roles=SETTINGS),
    "auth.user": ModelRule(personal=True, roles=ADMIN_ONLY),
    "auth.group": ModelRule(roles=ADMIN_ONLY),
    "shakyo_portal.staffprofile": ModelRule(personal=True, roles=ADMIN_ONLY),
    # Who is mailed about residents' plans, reports and registrations: 管理者 decide.
    "shakyo_portal.staffnotification": ModelRule(personal=True, roles=ADMIN_ONLY),
    "otp_totp.totpdevice": ModelRule(roles=ADMIN_ONLY),
    # The mails on their way to residents and staff: the office sees one the
    # server refused and sends it again; 管理者 may remove one handled by phone.
    "shakyo_portal.outgoingmail": ModelRule(
        personal=True, roles={Role.ADMIN: "vd", Role.OFFICE: "v"}
    ),
    "auditlog.logentry": ModelRule(personal=True, roles=AUDIT),
    "axes.accessattempt": ModelRule(personal=True, roles={Role.ADMIN: "vde"}),
    "axes.accesslog": ModelRule(personal=True, roles=AUDIT),
    "axes.accessfailurelog": ModelRule(personal=True, roles=AUDIT),
    # Site-wide content.
    "shakyo_portal.office": ModelRule(roles=CONTENT),
    "shakyo_portal.officehoursperiod": ModelRule(roles=CONTENT),
    "shakyo_portal.officespecialday": ModelRule(roles=CONTENT),
    "shakyo_portal.officephone": ModelRule(roles=CONTENT),
    "shakyo_portal.emergencynotice": ModelRule(roles=CONTENT),
    "shakyo_portal.practiceplan": ModelRule(roles=CONTENT),
    "shakyo_portal.basicgoal": ModelRule(roles=CONTENT),
    "shakyo_portal.policy": ModelRule(roles=CONTENT),
    "shakyo_portal.mainproject": ModelRule(roles=CONTENT),
    "shakyo_portal.planphoto": ModelRule(roles=CONTENT),
}

# Django's own bookkeeping: no role works on these through the admin.
UNMANAGED = {
    "admin.logentry": "Django's admin history; the portal's history is auditlog's",
    "auth.permission": "given to the role groups by sync_groups, never by hand",
    "contenttypes.contenttype": "Django's own table of models",
    "sessions.session": "login sessions; 管理者 end them from the user admin",
    "shakyo_portal.staffsession": "the registry of those sessions, kept by the login signals",
    "axes.accessattemptexpiration": "axes's own note of when a lockout ends",
    "shakyo_portal.recoverycode": (
        "a staff member's one-time login codes, kept only hashed; made on the 2段階認証 page "
        "and removed by 2段階認証をリセットする"
    ),
    "django_tasks_database.dbtaskresult": (
        "the task queue's own rows; the mails it sends are shown as shakyo_portal.outgoingmail"
    ),
}

# Accounts and settings keep a history; a user's groups and a staff member's
# districts are what their access is made of.
AUDITED = {
    "shakyo_portal.siteprofile": Tracked(),
    "shakyo_portal.staffprofile": Tracked(
        m2m_fields=("districts",), labels=(("districts", "担当地区"),)
    ),
    "auth.user": Tracked(
        # The hash is no one's business; last_login changes at every login
        # and the login log already says when.
        exclude_fields=("password", "last_login"),
        m2m_fields=("groups", "user_permissions"),
    ),
    "auth.group": Tracked(m2m_fields=("permissions",)),
    # Where residents' plans and reports are announced is part of who learns of them.
    "shakyo_portal.staffnotification": Tracked(),
}

# --- personal data --------------------------------------------------------------------

# Staff's own data and the records kept about their work: the disclosure page
# is for the residents the portal serves.
NO_PERSONAL_DATA = {
    "auth.user": "a staff account; 管理者 keep it in the user admin",
    "shakyo_portal.staffprofile": "part of a staff account (auth.user)",
    "shakyo_portal.staffnotification": (
        "a staff member's (or a shared office) address for work notices; 管理者 keep it here"
    ),
    "auditlog.logentry": "the history of other records: erasing one scrubs its entries",
    "axes.accessattempt": "a failed login's count, by user name and address: staff logins",
    "axes.accesslog": "the login log of staff",
    "axes.accessfailurelog": "the failed logins of staff",
    "shakyo_portal.outgoingmail": (
        "a mail on its way: the address and subject of a plan, report or registration, which "
        "is itself a personal-data kind; its body is emptied once sent, the row goes after "
        "MAIL_SENT_DAYS (MAIL_WAITING_DAYS if it never went)"
    ),
}
NO_RETENTION = {
    "auth.user": "kept while the account is in use; 管理者 close it when someone leaves",
    "shakyo_portal.staffprofile": "goes with its account (auth.user)",
    "shakyo_portal.staffnotification": (
        "kept while the notice is wanted; 管理者 delete it when someone leaves"
    ),
    "axes.accessattempt": "reset by the next successful login, or lifted by a 管理者",
}

# The audit trail answers for as long as the records it explains.
AUDIT_YEARS = 5
# Logins and failed logins: long enough to look into a break-in noticed late.
LOGIN_LOG_YEARS = 1


# A sent mail's address and subject answer "was I told?" for a week; one that
# never went is kept a month for staff to send again or call the resident.
MAIL_SENT_DAYS = 7
MAIL_WAITING_DAYS = 30
# The queue's finished rows only explain the mails above.
TASK_RESULT_DAYS = 7


def _old_sent_mails(now):
    return OutgoingMail.objects.filter(
        status=MailStatus.SENT, sent_at__lt=now - timedelta(days=MAIL_SENT_DAYS)
    )


def _old_waiting_mails(now):
    return OutgoingMail.objects.waiting().filter(
        created_at__lt=now - timedelta(days=MAIL_WAITING_DAYS)
    )


def _old_task_results(now):
    return DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - timedelta(days=TASK_RESULT_DAYS),
    )


def _old_audit_entries(now):
    return LogEntry.objects.filter(timestamp__lt=years_before(now, AUDIT_YEARS))


def _old_logins(now):
    return AccessLog.objects.filter(attempt_time__lt=years_before(now, LOGIN_LOG_YEARS))


def _old_login_failures(now):
    return AccessFailureLog.objects.filter(attempt_time__lt=years_before(now, LOGIN_LOG_YEARS))


def _ended_sessions(now):
    """Registry rows whose session is gone (logged out elsewhere, expired)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(StaffSession.objects.values_list("session_key", flat=True))
    if hasattr(store, "get_model_class"):
        # Database sessions stay in the table after they expire, until
        # clearsessions: only an unexpired row counts as a live session.
        live = set(
            store.get_model_class()
            .objects.filter(session_key__in=keys, expire_date__gt=now)
            .values_list("session_key", flat=True)
        )
    else:
        live = {key for key in keys if store().exists(key)}
    return StaffSession.objects.exclude(session_key__in=live)


RETENTION = (
    RetentionRule(f"変更履歴（{AUDIT_YEARS}年）", LogEntry, _old_audit_entries, PURGE, order=50),
    RetentionRule(
        f"ログインの記録（{LOGIN_LOG_YEARS}年）", AccessLog, _old_logins, PURGE, order=60
    ),
    RetentionRule(
        f"ログイン失敗の記録（{LOGIN_LOG_YEARS}年）",
        AccessFailureLog,
        _old_login_failures,
        PURGE,
        order=70,
    ),
    RetentionRule("終了したログインセッション", StaffSession, _ended_sessions, PURGE, order=80),
    RetentionRule(
        f"送信済みのメール（{MAIL_SENT_DAYS}日）", OutgoingMail, _old_sent_mails, PURGE, order=90
    ),
    RetentionRule(
        f"送れなかったメール（{MAIL_WAITING_DAYS}日）",
        OutgoingMail,
        _old_waiting_mails,
        PURGE,
        order=91,
    ),
    RetentionRule(
        f"送信処理の記録（{TASK_RESULT_DAYS}日）",
        DBTaskResult,
        _old_task_results,
        PURGE,
        order=92,
    ),
)

# --- demo data ------------------------------------------------------------------------

# The council's profile and offices come first (everything names an office);
# its plan, privacy policy and notices after the salons.
DEMO = (
    DemoPart("demo_site", order=10, function="build_profile"),
    DemoPart("demo_site", order=40),
)

# --- page cache -----------------------------------------------------------------------

# The shell every page shows (notices, offices, the council's profile and plan).
# The quiet tables change on every staff request or mail and no page shows them.
PAGE_CACHE = (
    PageCacheTopic(
        "shakyo_portal",
        name="site",
        quiet=frozenset(
            {
                "shakyo_portal.staffsession",
                "shakyo_portal.outgoingmail",
                "shakyo_portal.recoverycode",
                "shakyo_portal.staffnotification",
            }
        ),
    ),
)
