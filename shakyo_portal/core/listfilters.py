"""The admin's 年度 filter, one for every list that has a date or a 年度 in it."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Max, Min

from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label, fiscal_year_range, year_in_url


def fiscal_year_filter(*, date_field: str = "", year_field: str = ""):
    """A 年度 filter over a date (held_on: 令和7年度 is 2025-04-01..2026-03-31) or over a
    field that holds the 年度 itself (program__fiscal_year).

    Over a 年度 field the parameter is the admin's own lookup (…__exact), so a link
    built from the changelist's query string (the CSV export) passes the choice on.
    A year that is not one leaves the list unfiltered, as the admin does for any bad
    parameter, instead of failing.
    """
    if bool(date_field) == bool(year_field):
        raise ValueError("give date_field or year_field")

    class FiscalYearFilter(admin.SimpleListFilter):
        title = "年度"
        parameter_name = f"{year_field}__exact" if year_field else "fiscal_year"

        def lookups(self, request, model_admin):
            objects = model_admin.get_queryset(request)
            if year_field:
                years = objects.order_by().values_list(year_field, flat=True).distinct()
                years = sorted({fy for fy in years if fy is not None}, reverse=True)
            else:
                bounds = objects.aggregate(first=Min(date_field), last=Max(date_field))
                if bounds["first"] is None:
                    return []
                first, last = fiscal_year(bounds["first"]), fiscal_year(bounds["last"])
                years = range(last, first - 1, -1)
            return [(str(fy), fiscal_year_label(fy, western=True)) for fy in years]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            year = year_in_url(value)
            if year is None:
                raise IncorrectLookupParameters(value)
            if year_field:
                return queryset.filter(**{year_field: year})
            return queryset.filter(**{f"{date_field}__range": fiscal_year_range(year)})

    return FiscalYearFilter
