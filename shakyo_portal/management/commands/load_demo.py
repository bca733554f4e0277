from django.core.management import call_command
from django.core.management.base import BaseCommand

from districts.models import District
from shakyo_portal.core.models import Office, SiteProfile


class Command(BaseCommand):
    help = "デモデータ（fixtures/demo.json）を、空のデータベースにだけ読み込みます。"

    def handle(self, *args, **options):
        # Only an empty database gets the demo data, so running `make run`
        # again never overwrites what staff have changed.
        if SiteProfile.objects.exists() or Office.objects.exists() or District.objects.exists():
            self.stdout.write("データが既にあるため、デモデータは読み込みませんでした。")
            return
        call_command("loaddata", "demo", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"デモデータを読み込みました（地区社協 {District.objects.count()} 件）。"
            )
        )
