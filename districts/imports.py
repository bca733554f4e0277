"""The district app's CSV imports (declared in portal.py; shakyo_portal/core/csvimport.py
does the reading, checking and saving): 福祉委員, the 地区社協 themselves, and the
町名 each district serves."""

from shakyo_portal.core.declarations.imports import BY_NAME_OR_SLUG, CsvImport, Lookup

NO_DISTRICT_PERMISSION = "この地区の福祉委員を登録する権限がありません。"


MEMBERS = CsvImport(
    model="districts.WelfareCommitteeMember",
    columns=(
        "name",
        "reading",
        "district",
        "area_covered",
        "role",
        "is_council_representative",
        "term_start",
        "term_end",
        "phone",
        "email",
        "consent_date",
        "publish_name",
        "publish_area",
        "publish_role",
        "publish_phone",
        "publish_email",
    ),
    keys=(("district", "name", "reading"),),
    # A 地区担当 names only their own districts (the admin offers them no other).
    lookups={"district": Lookup(by=("name", "slug"), denied=NO_DISTRICT_PERMISSION)},
    titles=("name", "district"),
    person=True,
    checked_by_clean=frozenset(
        {"welfare_member_term_ends_after_start", "welfare_member_publishes_only_with_consent"}
    ),
    denied_change=NO_DISTRICT_PERMISSION,
)

DISTRICTS = CsvImport(
    model="districts.District",
    columns=(
        "name",
        "reading",
        "slug",
        "parent",
        "display_order",
        "is_public",
        "summary",
        "description",
        "area_served",
        "member_categories",
        "office",
        "contact_name",
        "contact_phone",
        "contact_email",
    ),
    keys=(("slug",), ("name",)),
    lookups={
        "parent": BY_NAME_OR_SLUG,
        "member_categories": Lookup(by=("name",)),
        "office": Lookup(by=("name",)),
    },
    titles=("name", "parent"),
    slug_from="reading",
    # The export's 更新日時 is the site's own record of the last change.
    ignored=("updated_at",),
    # A row's parent is found among the districts already saved.
    notes=(
        "新しい地区社協と、その下の小地区社協を一度に登録するときは、"
        "上位の地区社協の行だけを先に取り込んでから、小地区社協の行を取り込んでください。",
    ),
)

AREAS = CsvImport(
    model="districts.DistrictArea",
    columns=("district", "name", "reading", "note", "display_order"),
    # Within a district a 町名 is one row, or one row per part where a note splits it.
    keys=(("district", "name", "note"), ("district", "name")),
    lookups={
        "district": Lookup(
            by=("name", "slug"), denied="この地区の対象区域を登録する権限がありません。"
        )
    },
    titles=("name", "district"),
    denied_change="この地区の対象区域を変更する権限がありません。",
    notes=(
        "1行に町名・大字を1つずつ書きます（例: 三須、中央一丁目〜三丁目）。"
        "地区社協の列には、地区名（例: 三須）かURL名を書きます。",
        "同じ町名が2つの地区に分かれるときは、それぞれの行の補足に区別"
        "（例: 1〜3丁目、4丁目以降）を書いてください。",
    ),
)
