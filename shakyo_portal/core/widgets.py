"""A <select> written in Python, for the public filters' long lists.

Django draws a Select through one template for the select and one more (with
its own include of the attributes) for each option: for the 360 districts of a
large council that is some 15 ms a page, more than the rest of the form. This
widget writes the same markup as Django's templates (django/forms/widgets/
select.html, select_option.html, attrs.html), character for character, from
the same context, so labels, ids, aria-describedby and aria-invalid are as
before, and so is each option's line break, which Django's option template
ends with. tests/salons/test_directory_speed.py and
tests/coordinators/test_fixed_costs.py compare the two.
"""

import html

from django import forms
from django.utils.safestring import mark_safe


def escape(value) -> str:
    """Django's conditional_escape, without its lazy-string wrapper (a few
    microseconds a call, and a select calls it three times an option)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def render_attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ListSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        name, attrs = escape(widget["name"]), render_attrs(widget["attrs"])
        parts = [f'<select name="{name}"{attrs}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(option["value"])}"'
                f"{render_attrs(option['attrs'])}>{escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part is escaped above
