"""Overrides for the test suite only: fast hashing, plain static storage, tasks run at once.

(pytest-django already swaps the mailers for the in-memory one.)
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from shakyo_portal.settings import *  # noqa: F403
from shakyo_portal.settings import STORAGES

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="shakyo-test-media-")
# The manifest needs collectstatic first; tests/test_static.py checks the
# production storage on its own.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="shakyo-test-private-")
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "shakyo_portal.core.storage.CleanFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files from the app and project folders, as runserver does,
# without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run as they are queued (for mail: still only after the commit, since
# mail is queued from on_commit), so a test reads mail.outbox after a request.
# The tests of the queue itself (tests/site/test_mail_queue.py) switch to the
# database backend and run the worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
