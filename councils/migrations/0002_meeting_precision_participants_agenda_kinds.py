"""Meetings known only to the month or 年度, participants in staff's order
(guests included), agenda kinds staff extend, and grouped annual plan rows.

Adds the new tables and fields beside the old ones; 0003 moves the data and
0004 drops what it replaced, so no table is altered in the transaction that
writes its rows (PostgreSQL refuses that with deferred constraints)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgendaItemKind",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="例: 報告、協議、事業説明",
                        max_length=30,
                        unique=True,
                        verbose_name="種類の名前",
                    ),
                ),
                ("display_order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
            ],
            options={
                "verbose_name": "議題の種類",
                "verbose_name_plural": "議題の種類",
                "ordering": ["display_order", "pk"],
            },
        ),
        # The old code gets a default only so that going back past 0004 can
        # add the column again before 0003 fills it in.
        migrations.AlterField(
            model_name="agendaitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("report", "報告"),
                    ("information", "情報共有"),
                    ("case", "事例発表"),
                    ("discussion", "意見交換"),
                    ("decision", "協議"),
                    ("training", "講演・研修"),
                    ("other", "その他"),
                ],
                default="other",
                max_length=20,
                verbose_name="種類",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="kind_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="councils.agendaitemkind",
                verbose_name="種類",
            ),
        ),
        migrations.AddField(
            model_name="annualplanitem",
            name="group",
            field=models.CharField(
                blank=True,
                help_text="業務内容をまとめる見出し。続く行に同じ区分を入れると、表で一つにまとまります。",
                max_length=100,
                verbose_name="区分（大項目）",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="held_on_precision",
            field=models.CharField(
                choices=[
                    ("day", "日付まで分かる"),
                    ("month", "月まで（日は未定・不明）"),
                    ("fiscal_year", "年度まで（月日は未定・不明）"),
                ],
                default="day",
                help_text="月や年度しか分からないときは、ここで選びます。日付欄にはその月か年度のどの日を入れてもかまいません（表示は「2019年5月」「令和元年度」のようになります）。",
                max_length=12,
                verbose_name="日付の精度",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="guests",
            field=models.CharField(
                blank=True,
                help_text="一人ずつ載せないときに、まとめて書きます（例: 総社市長寿介護課、地域住民）。公開ページに載ります。",
                max_length=200,
                verbose_name="その他の参加者（まとめて）",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="held_on",
            field=models.DateField(
                help_text="日が決まっていない・分からないときは、その月か年度のどの日かを入れ、下の「日付の精度」を選びます。",
                verbose_name="開催日",
            ),
        ),
        migrations.CreateModel(
            name="MeetingParticipant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="例: 総社市長寿介護課、山田 花子",
                        max_length=100,
                        verbose_name="氏名・名称（構成員以外）",
                    ),
                ),
                (
                    "affiliation",
                    models.CharField(
                        blank=True,
                        help_text="例: 講師、移動販売の事業者、オブザーバー、代理出席",
                        max_length=100,
                        verbose_name="所属・立場",
                    ),
                ),
                (
                    "publish_name",
                    models.BooleanField(
                        default=False,
                        help_text="個人の氏名は、本人が公開に同意したときだけ選びます。選ばないと、公開ページには所属・立場だけが載ります。",
                        verbose_name="氏名・名称を公開する",
                    ),
                ),
                ("display_order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="councils.meeting",
                        verbose_name="会議",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        help_text="構成員でない参加者（ゲスト・講師など）のときは空欄にし、氏名・名称を書きます。",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="councils.councilmember",
                        verbose_name="構成員",
                    ),
                ),
            ],
            options={
                "verbose_name": "会議の参加者",
                "verbose_name_plural": "会議の参加者",
                "ordering": ["meeting", "display_order", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("member__isnull", False),
                            models.Q(("name", ""), _negated=True),
                            models.Q(("affiliation", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="meeting_participant_says_who",
                        violation_error_message="構成員を選ぶか、構成員以外の参加者の氏名・名称か所属・立場を入力してください。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("member__isnull", True), ("name", ""), _connector="OR"),
                        name="meeting_participant_member_has_no_name",
                        violation_error_message="構成員を選んだときは、氏名・名称の欄は空欄にしてください。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("member__isnull", False)),
                        fields=("meeting", "member"),
                        name="meeting_participant_member_once",
                        violation_error_message="同じ構成員が2回選ばれています。",
                    ),
                ],
            },
        ),
    ]
