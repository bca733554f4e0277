"""The coordinator app's admin: coordinators and their logs, and the 地域資源."""

from coordinators.admin import logs, resources  # noqa: F401
