"""The CSV imports an app offers its staff, as its portal.py declares them
(IMPORTS); shakyo_portal/core/csvimport.py reads the files, and the back
office adds the pages and the button to each declared model's admin list."""

from dataclasses import dataclass, field

from django import forms


@dataclass(frozen=True)
class Lookup:
    """A related record, typed as staff call it: by the related model's fields in
    `by`, tried in order (the first that finds any record wins).

    denied: the message when the record exists but the importing user may not
    attach a row to it (a 地区担当 naming another district); by default one that
    names the column.
    """

    by: tuple[str, ...] = ("name",)
    denied: str = ""


# A record named as staff name it, or by its URL name where two share a name.
BY_NAME_OR_SLUG = Lookup(by=("name", "slug"))


@dataclass(frozen=True)
class CsvImport:
    """Many rows of one model from a spreadsheet.

    model: its label ("councils.LifeArea").
    columns: the fields a file may set, in the order of the template's columns;
        the headers are the fields' names as the admin shows them.
    keys: how a row without an ID finds the record it updates, tried in order:
        the first key whose cells the row fills in (("slug",), ("name",)).
    lookups: how each foreign key or many-to-many column names its records;
        a relation column without one is found by its record's name.
    form: the ModelForm whose cleaning the rows go through (the admin's own
        form where it normalises input), narrowed to the plain columns.
    titles: the columns that name a row in the check's table.
    ignored: columns of the admin's CSV export that are read past (a photo, a
        login): the export of a list can be corrected and read back in.
    person: rows are people (1人1行, 複数います in the messages).
    checked_by_clean: constraints whose rule the model's clean() checks too;
        the check skips asking the database for them, a query per row, and the
        database still enforces them on save.
    denied_change: the message when a row would change a record the user may
        not change; by default a generic one.
    notes: what else the import page says about filling the file in.
    slug_from: the field a new row's URL名 is made from when its cell is blank
        (its reading, in romaji: そうじゃ -> soja); the slug column is then optional.
    """

    model: str
    columns: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]
    lookups: dict[str, Lookup] = field(default_factory=dict)
    form: type[forms.ModelForm] = forms.ModelForm
    titles: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    person: bool = False
    checked_by_clean: frozenset[str] = frozenset()
    denied_change: str = ""
    notes: tuple[str, ...] = ()
    slug_from: str = ""
