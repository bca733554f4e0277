from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shakyo_portal.backoffice.backup import BackupError, restore_backup, storage_roots


class Command(BaseCommand):
    help = (
        "backup_site で作ったアーカイブから、データベースとファイルを戻します。"
        "アーカイブを先に検査し、データベースが空でなければ止まります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="shakyo-backup-….tar.gz のパス")
        parser.add_argument(
            "--force",
            action="store_true",
            help="今のデータベースの中身をすべて消してから戻します（元に戻せません）。",
        )

    def handle(self, *args, archive, force, **options):
        try:
            summary = restore_backup(archive, force=force, say=self.stdout.write)
            roots = storage_roots()
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("バックアップから戻しました。"))
        for line in summary.lines("元のアーカイブ"):
            self.stdout.write(line)
        self.stdout.write(f"ファイルの戻し先: {roots['media']}、{roots['private']}")
