"""利用目的: what each public form's personal data is used for, who sees it, how long it is kept.

Written once here, keyed by form, so every notice says it the same way; the
template tag {% purpose_of_use "<key>" %} shows one above the form's submit
button. The periods are the ones the retention rules apply
(shakyo_portal.backoffice.retention): change both together.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    """The three things a person asks before sending: for what, seen by whom, kept how long."""

    use: str
    seen_by: str
    kept: str


NOT_GIVEN_AWAY = "法令に基づく場合を除き、ご本人の同意なく社協の外へ渡すことはありません。"

PURPOSES: dict[str, Purpose] = {
    # 活動計画書 (new, draft, returned and corrected).
    "plan": Purpose(
        use=(
            "代表者の氏名・よみがな・電話番号・メールアドレス・住所は、活動計画書の審査、"
            "活動助成の交付、実績報告の確認と、それらについてのご連絡に使います。"
        ),
        seen_by=(
            "見るのは社協の職員だけです。サロンの一覧など公開するページには、"
            "代表者の氏名や連絡先は載せません。" + NOT_GIVEN_AWAY
        ),
        kept=(
            "承認された活動計画書と助成の記録は、会計の記録として保存します。"
            "不承認になった活動計画書は決定から5年後に、提出しなかった下書きは1年後に削除します。"
        ),
    ),
    # The status lookup: reference number + phone or e-mail.
    "plan-status": Purpose(
        use=(
            "受付番号と、電話番号またはメールアドレスは、活動計画書の代表者ご本人であることの"
            "確認だけに使います。"
        ),
        seen_by="出していただいた活動計画書と自動で照らし合わせるだけで、職員が見ることはありません。",
        kept="入力した電話番号やメールアドレスは保存しません。",
    ),
    # Start from last year's plan: the same proof, then a new draft copied from that plan.
    "plan-renew": Purpose(
        use=(
            "受付番号と、電話番号またはメールアドレスは、前年度の活動計画書の代表者ご本人であることの"
            "確認に使います。確認できたら、前年度の内容を写した今年度の下書きを作ります。"
        ),
        seen_by=(
            "入力した電話番号やメールアドレスは自動で照らし合わせるだけで、職員が見ることはありません。"
            "作った下書きは、活動計画書と同じく社協の職員だけが見ます。"
        ),
        kept=(
            "入力した電話番号やメールアドレスは保存しません。"
            "作った下書きは、提出しないままなら1年後に削除します。"
        ),
    ),
    # 実績報告.
    "report": Purpose(
        use="開催の実績、使ったお金、写真と感想は、活動助成の精算と、それについてのご連絡に使います。",
        seen_by=(
            "見るのは社協の職員だけです。写真や感想を公開するページに載せることはありません。"
            + NOT_GIVEN_AWAY
        ),
        kept="実績報告は、活動計画書と一緒に会計の記録として保存します。",
    ),
    # 行事の申込.
    "event-registration": Purpose(
        use=(
            "氏名・よみがな・電話番号・メールアドレス・人数・必要な配慮は、この行事の受付と準備"
            "（配慮の手配を含みます）と、行事についてのご連絡に使います。"
        ),
        seen_by="見るのは社協の職員だけです。公開するページには載せません。" + NOT_GIVEN_AWAY,
        kept="申込の内容は、行事が終わってから1年後に削除します。",
    ),
}


def notice_id(key: str) -> str:
    """The notice's element id, which the form's submit buttons name in aria-describedby."""
    return f"purpose-of-use-{key}"
