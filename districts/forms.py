"""Form helpers every app with a district filter shares."""


def district_choices(districts) -> list[tuple[str, str]]:
    """Top-level districts in the council's order, each followed by its sub-districts.

    `districts`: the public districts, in their order.
    """
    children = {}
    for district in districts:
        if district.parent_id is not None:
            children.setdefault(district.parent_id, []).append(district)
    choices = [("", "すべての地区")]
    for district in districts:
        if district.parent_id is not None:
            continue
        subs = children.get(district.pk, [])
        label = f"{district.name}（小地区を含む）" if subs else district.name
        choices.append((district.slug, label))
        choices += [(sub.slug, f"{sub.name}（{district.name}地区）") for sub in subs]
    return choices
