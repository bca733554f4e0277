from django.core.management.base import BaseCommand

from shakyo_portal.backoffice import orphans


class Command(BaseCommand):
    help = (
        "どの記録からも参照されていないアップロードファイル（保存に失敗した送信の残りなど）を"
        "削除します。1日以上前のものだけが対象なので、毎日実行して構いません。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="対象を表示するだけで、何も削除しません。"
        )

    def handle(self, *args, dry_run=False, **options):
        found = orphans.find()
        for _storage, name in found:
            self.stdout.write(f"{'対象' if dry_run else '削除'}: {name}")
        if not dry_run:
            orphans.remove(found)
        self.stdout.write(f"参照されていないファイル: {len(found)}件")
