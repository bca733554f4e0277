"""Settings for shakyo-portal, read from environment variables.

The defaults make `make run` work on a fresh checkout (SQLite, DEBUG on via
the Makefile); with DEBUG off every production safeguard is on and
SECRET_KEY must be given. README.md lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from shakyo_portal.core.env import env_bool, env_int, env_list, env_str
from shakyo_portal.formats.ja import formats as ja_formats

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG is on.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin with the portal's own site: roles, two-factor login, dashboard.
    "shakyo_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    # Audit history of personal data and workflow records (auditlog), login
    # lockout and the login log (axes), TOTP two-factor login (django_otp).
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Long public forms declare their layout in a FormHelper (templates/portal/).
    "crispy_forms",
    # The mail queue's table and its worker, `manage.py db_worker`
    # (shakyo_portal.core.mail). Before shakyo_portal, whose admin hides its rows.
    "django_tasks_db",
    "shakyo_portal",
    "districts",
    "salons",
    "coordinators",
    "councils",
    "news",
]

MIDDLEWARE = [
    # Gives the request its id before anything can log.
    "shakyo_portal.public.guards.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses an oversized body from its Content-Length, and NUL characters.
    "shakyo_portal.public.guards.RequestGuardMiddleware",
    # Brotli or gzip; gzip with random padding for a page carrying a secret (BREACH).
    "shakyo_portal.public.compression.CompressionMiddleware",
    # ETag and 304 for every page; inside compression, so the ETag is the page's own.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous pages from the shared cache, before sessions, CSRF and auth run.
    "shakyo_portal.public.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Names the signed-in user (and address) in every audit entry a request writes.
    "shakyo_portal.staff.audit.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a staff session after STAFF_IDLE_MINUTES without a request.
    "shakyo_portal.backoffice.sessions.IdleStaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the page as the view made it, before any middleware above
    # sets Content-Length from it.
    "shakyo_portal.public.middleware.FuriganaMiddleware",
]

ROOT_URLCONF = "shakyo_portal.urls"
WSGI_APPLICATION = "shakyo_portal.wsgi.application"

# Form fields render through templates/django/forms/, which mark required
# fields and keep Django's aria-describedby links to help text and errors.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# django-crispy-forms renders through the portal's own template pack,
# templates/portal/, whose fields are the templates above: the site's markup and
# nothing Bootstrap-ish. A layout naming a field the form lacks, or naming one
# twice, is an error rather than a field silently left out.
CRISPY_TEMPLATE_PACK = "portal"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("portal",)
CRISPY_FAIL_SILENTLY = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shakyo_portal.public.context_processors.site",
                "shakyo_portal.public.context_processors.display_preferences",
                "shakyo_portal.public.context_processors.navigation",
            ],
            "builtins": [
                "shakyo_portal.templatetags.portal",
                "shakyo_portal.templatetags.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections with a health check on PostgreSQL; SQLite
        # ignores both.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT … FOR UPDATE; taking the write lock when a transaction
    # begins keeps two event registrations from both taking the last seat.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
CACHES = {
    "default": (
        {
            # Django's, keeping its client objects (shakyo_portal/core/rediscache.py).
            "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that stops answering costs a request half a second once,
            # then is skipped for a while (core.cacheversions, core.ratelimit).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if CACHE_URL
        else {
            # One process's memory: right for `make run`. With several workers,
            # or commands run beside the server, set CACHE_URL (README).
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}
# Anonymous pages from the cache (shakyo_portal/public/pagecache.py); off only
# to measure the pages as built (make bench) or to look for a suspected stale page.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)

# Staff logins guard personal data: at least 12 characters (a passphrase is
# easier to remember than symbols), none of the common or guessable ones.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# axes checks the lockout before the password; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"

# Lockout: five wrong passwords for one username from one address lock that
# pair for 30 minutes; the same username from another address, and other
# staff, are unaffected. Every login, logout and failure is kept (axes' logs).
# The largest request body taken: five 10 MB attachments and the form around them.
# The proxy in front should refuse the same (README: client_max_body_size).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_MB", 64) * 1024 * 1024

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "shakyo_portal.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "shakyo_portal.backoffice.auth_views.locked_out"
AXES_VERBOSE = False

# Staff sessions end after this long without a request, and always at
# browser close; residents' sessions (plan status) keep Django's default.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
# The name the authenticator app shows next to the six digits.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "社協ポータル")

# History keeps every field's old and new value; what changed in a JSON field
# is shown as such, not as text.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
# Loading fixtures or a backup restores history; it is not a change by anyone.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
# Japanese for the strings Django ships untranslated (its new blank choice label).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Year-first input formats and the site's way of writing dates, wherever Django
# formats a date itself (shakyo_portal/formats/ja/formats.py says why). The same
# input formats stand when no language is active, so no form anywhere reads
# 02/06/2021 as month/day/year.
FORMAT_MODULE_PATH = ["shakyo_portal.formats"]
DATE_INPUT_FORMATS = ja_formats.DATE_INPUT_FORMATS
TIME_INPUT_FORMATS = ja_formats.TIME_INPUT_FORMATS
DATETIME_INPUT_FORMATS = ja_formats.DATETIME_INPUT_FORMATS

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Leaflet (the 地域資源マップ) comes as a Python package, so a fresh checkout needs no
# npm and no page loads it from a CDN: it is served as /static/leaflet/leaflet.js.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Attachments of plans and reports hold personal data: they live outside
# MEDIA_ROOT and are served only through a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "shakyo_portal.core.storage.CleanFileSystemStorage"},
    "private": {
        "BACKEND": "shakyo_portal.core.storage.CleanFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/private-media-not-served/"},
    },
    # Compressed (gzip and brotli) files with content-hashed names, so a
    # browser may cache them for a year and still never sees a stale one.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background tasks (Django's tasks framework): mail is queued in the site's
# own database and sent by the worker, `manage.py db_worker` (`make run` starts
# one; in production a service of its own, see the README), so a request never
# waits for the mail server and a refused mail is tried again later.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Django 6.1 mailers. With DEBUG on and no EMAIL_HOST, mail is printed to the
# console (fine for `make run`); otherwise it goes out by SMTP, by default to
# a mail server on the same machine.
if DEBUG and not env_str("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
# The address links in e-mails point to (mail is sent outside a request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name calendar UIDs carry: fixed, so a site answering on two host names (or
# behind a proxy that rewrites Host) never gives subscribers the same event twice.
SITE_HOST = SITE_URL.split("://", 1)[-1].split("/", 1)[0]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("管理者", address) for address in env_list("ADMINS")]

# Security. Everything below is on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# 地域資源マップ: 国土地理院's standard tiles unless MAP_TILE_URL names another server
# (empty turns the map off). The page asks for tiles only after a resident chooses
# to show the map, so no page contacts another host on its own.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "地図: 国土地理院")
MAP_TILE_ATTRIBUTION_URL = env_str(
    "MAP_TILE_ATTRIBUTION_URL", "https://maps.gsi.go.jp/development/ichiran.html"
)
_tile_origin = "/".join(MAP_TILE_URL.split("/", 3)[:3]) if "://" in MAP_TILE_URL else ""

# No inline script or style anywhere, and nothing from another host but map tiles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shakyo_portal.core.requestids.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes logs every login at INFO; its own log tables already keep them.
    "loggers": {"axes": {"level": "WARNING"}},
}
