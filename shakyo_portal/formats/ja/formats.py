"""How the site reads and writes dates where Django formats them itself.

Django's Japanese formats leave the input formats unset, so every plain date
field fell back to the global defaults and read 02/06/2021 as February 6 (US
order). Here the input formats are year first only; forms that people type into
use core.fields, which also reads 和暦 and full-width digits.

The output formats are the western form of core.dates.format_date and
format_datetime (2026年12月7日(月) 6:37): Django's format syntax has no 和暦, and
what the admin shows without going through core.dates (read-only fields, other
apps' pages) should at least be written the site's way.
"""

DATE_FORMAT = "Y年n月j日(D)"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y年n月j日(D) G:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"

# The first of each is how a date box shows its value (and what the admin's
# calendar writes): 2026/12/07, 09:30.
DATE_INPUT_FORMATS = ["%Y/%m/%d", "%Y-%m-%d", "%Y年%m月%d日"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H時%M分", "%H時"]
DATETIME_INPUT_FORMATS = [
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d",
    "%Y-%m-%d",
]
