from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "お知らせ・行事"
