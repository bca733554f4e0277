"""Amounts of money as the site writes them."""


def yen(value) -> str:
    """28000 -> 28,000円; empty for None, so a missing amount shows nothing."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}円"
