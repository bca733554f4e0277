"""The staff side of salons: the directory's records, the year's grant rules,
and the review of plans, grants and reports.

A plan's, grant's or report's status never changes through its edit form:
each step is a button that opens a confirmation page (GET shows, POST acts)
and calls the one service that makes that step, so history, mail and the
two-people-at-once check happen the same way every time.
"""

from salons.admin import directory, grants, plans, reports  # noqa: F401 (registers)
