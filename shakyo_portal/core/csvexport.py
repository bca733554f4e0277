"""CSV downloads for the office's spreadsheets, the same way from every app.

Excel opens a CSV as Shift_JIS unless it starts with a byte order mark, so
the file is UTF-8 with BOM and CRLF line ends (the csv module's default).
A cell that starts with = + - @ would be run as a formula by Excel; such
text gets a leading apostrophe, which Excel shows as plain text.
"""

import csv
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

BOM = "\ufeff"
# Tab and carriage return start formulas too in some spreadsheets (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """One value as the spreadsheet should read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(rows, *, filename: str, ascii_filename: str) -> HttpResponse:
    """A download Excel opens as UTF-8, named in Japanese where the browser allows it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # filename* (RFC 6266/5987) carries the Japanese name; filename is for old clients.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    writer = csv.writer(response)  # lineterminator is "\r\n"
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return response
