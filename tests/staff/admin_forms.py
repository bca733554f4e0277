"""The data a browser would send back from an admin page's form, as the page shows it.

Tests change a field or two and post the rest unchanged, inline management forms
included, so what is checked is the page as staff use it.
"""

import re
from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._select_values: list[str] = []
        self._first_option = None
        self._textarea = None
        self._text = ""

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self._select_values.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            for value in self._select_values:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The parser keeps the newline after <textarea>, which browsers drop.
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_data(response, **changes) -> dict:
    """The fields of the page's change form (<form id="..._form">), with `changes`
    put in; a value of None leaves a field out."""
    html = response.content.decode()
    start = re.search(r'<form[^>]*id="[a-z_]+_form"', html).start()
    form_html = html[start : html.index("</form>", start)]
    parser = _FormFields()
    parser.feed(form_html)
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
