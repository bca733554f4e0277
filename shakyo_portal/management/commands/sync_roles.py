from django.core.management.base import BaseCommand

from shakyo_portal.staff.roles import sync_groups


class Command(BaseCommand):
    help = (
        "職員の5つの役割（グループ）を作り、権限をコードの表（shakyo_portal/staff/roles.py）"
        "どおりに設定し直します。migrate のたびにも自動で実行されます。"
    )

    def handle(self, *args, **options):
        sync_groups(verbosity=1, stdout=self.stdout)
