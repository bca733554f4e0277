from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shakyo_portal.backoffice.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "データベースとアップロードされたファイル（公開・非公開）を、1つのアーカイブ"
        "（shakyo-backup-年月日-時分秒.tar.gz）に保存します。個人情報を含みます。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="保存するフォルダ（既定: プロジェクトの backups/）",
        )

    def handle(self, *args, output, **options):
        try:
            summary = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("バックアップを作りました。"))
        for line in summary.lines("保存先"):
            self.stdout.write(line)
