"""An app's part of the demo data (fixtures/demo.json, which `make run` loads),
as its portal.py declares it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPart:
    """fixtures/<module>.py's `function`(add, ctx): plain Python that adds the
    app's demo rows with add(model label, pk, **fields), which returns the
    fields it stored, and hands on, through ctx, the keys later parts refer to.
    order: when it runs, among every app's parts (a part runs after the parts
    whose keys it uses), and so where its rows stand in demo.json."""

    module: str
    order: int
    function: str = "build"
