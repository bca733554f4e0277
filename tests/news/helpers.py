"""Small helpers the news tests share."""

from html.parser import HTMLParser

# Every page's shell: the council's profile, the footer's offices, and the emergency
# notices while one is up (shakyo_portal.public.context_processors.SiteContext).
SHELL_QUERIES = 3


def main(html):
    """The page's own content, without the shell's navigation and footer."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


class _FormValues(HTMLParser):
    """What a browser would send for a page's form as it stands (no button pressed)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values = []
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value", "on")))
            else:
                self.values.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self.values.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_values(html, form_id):
    """{name: value or [values]} of the form with this id, as the page shows it."""
    parser = _FormValues(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.values:
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return data
