from django.apps import AppConfig


class ShakyoPortalConfig(AppConfig):
    name = "shakyo_portal"
    verbose_name = "社協の基本情報"
