"""Every model is declared where the site needs it: a page the public reads is
searched and in the sitemap, a person's data can be found, handed over and
erased and has a time it is kept for, and every model has its place in the
role policy. Each app declares these in its portal.py; a model that lacks one
on purpose says why, in a {label: why} exemption (see
shakyo_portal/core/declarations). Forgetting one used to fail silently."""

from django.apps import apps
from django.template.loader import get_template

from shakyo_portal.core import declarations
from shakyo_portal.core.declarations.records import PURGE
from shakyo_portal.staff.roles import RULES


def _label(model) -> str:
    return model._meta.label_lower


def _models() -> dict:
    return {_label(model): model for model in apps.get_models()}


def _exemptions(name: str) -> dict[str, str]:
    exemptions = declarations.collect_mapping(name)
    blank = [label for label, why in exemptions.items() if not str(why).strip()]
    assert not blank, f"{name} must say why for: {', '.join(blank)}"
    unknown = set(exemptions) - set(_models())
    assert not unknown, f"{name} names no installed model: {', '.join(sorted(unknown))}"
    return exemptions


def _check(required: set[str], declared: set[str], exempt: dict, what: str, name: str):
    """Each required label declared or exempted, and no exemption of a declared one."""
    problems = [
        f"{label} has no {what}: declare one in its app's portal.py, or say why not in {name}"
        for label in sorted(required - declared - set(exempt))
    ]
    problems += [
        f"{label} has a {what} and is in {name} as well" for label in sorted(declared & set(exempt))
    ]
    return problems


def _public_models() -> set[str]:
    return {label for label, model in _models().items() if hasattr(model, "get_absolute_url")}


def test_every_public_page_is_searched_and_in_the_sitemap():
    searched = {_label(kind.model) for kind in declarations.collect("SEARCH_KINDS")}
    mapped = {_label(section.model) for section in declarations.collect("SITEMAPS")}
    problems = _check(
        _public_models(), searched, _exemptions("NO_SEARCH"), "search kind", "NO_SEARCH"
    )
    problems += _check(
        _public_models(), mapped, _exemptions("NO_SITEMAP"), "sitemap section", "NO_SITEMAP"
    )
    assert not problems, "\n" + "\n".join(problems)


def test_every_model_holding_personal_data_can_be_erased_and_has_a_retention_rule():
    kinds = {kind.model_label for kind in declarations.collect("PERSONAL_DATA")}
    personal = {label for label, rule in RULES.items() if rule.personal} | kinds
    kept = {_label(rule.model) for rule in declarations.collect("RETENTION")}
    problems = _check(
        personal, kinds, _exemptions("NO_PERSONAL_DATA"), "personal-data kind", "NO_PERSONAL_DATA"
    )
    problems += _check(
        personal, kept, _exemptions("NO_RETENTION"), "retention rule", "NO_RETENTION"
    )
    assert not problems, "\n" + "\n".join(problems)


def test_every_model_has_a_role_rule_or_is_unmanaged():
    problems = _check(
        set(_models()), set(RULES), _exemptions("UNMANAGED"), "role rule", "UNMANAGED"
    )
    problems += [
        f"ROLE_RULES names no installed model: {label}" for label in RULES.keys() - set(_models())
    ]
    assert not problems, "\n" + "\n".join(problems)


def test_a_rule_that_deletes_or_anonymises_knows_the_records_personal_fields():
    """apply_retention erases a row's history with it: that takes its kind."""
    kinds = {kind.model_label for kind in declarations.collect("PERSONAL_DATA")}
    for rule in declarations.collect("RETENTION"):
        if rule.action != PURGE:
            assert _label(rule.model) in kinds, rule.name


def test_each_search_kind_names_a_result_partial_and_a_key_of_its_own():
    keys = [kind.key for kind in declarations.collect("SEARCH_KINDS")]
    assert len(keys) == len(set(keys)), keys
    for kind in declarations.collect("SEARCH_KINDS"):
        get_template(kind.result_template)


def test_the_stated_orders_have_no_ties():
    """Where the order shows, two entries in the same place would be placed by
    INSTALLED_APPS, which says nothing about the page."""
    for name in (
        "SEARCH_KINDS",
        "SITEMAPS",
        "SITEMAP_PAGES",
        "NAVIGATION",
        "PERSONAL_DATA",
        "RETENTION",
        "DASHBOARD",
        "DEMO",
    ):
        orders = [entry.order for entry in declarations.collect(name)]
        assert len(orders) == len(set(orders)), (name, orders)
