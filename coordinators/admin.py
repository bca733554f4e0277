from coordinators import admin_resources  # noqa: F401  (地域資源 are registered there)
