from django.core.management.base import BaseCommand, CommandError

from shakyo_portal.backoffice import retention


class Command(BaseCommand):
    help = (
        "保存期間を過ぎた個人情報を削除・匿名化します。毎日実行してください"
        "（何度実行しても、同じ記録を二度処理することはありません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="対象の件数を表示するだけで、何も変更しません。",
        )

    def handle(self, *args, dry_run=False, **options):
        failed = 0
        for outcome in retention.run(dry_run=dry_run):
            if outcome.error:
                failed += 1
                self.stderr.write(outcome.line())
            else:
                self.stdout.write(outcome.line())
        if failed:
            # A non-zero exit makes cron mail the administrator.
            raise CommandError(f"{failed}件の規則が失敗しました。上の表示を確認してください。")
