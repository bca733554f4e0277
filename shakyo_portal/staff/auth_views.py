"""Staff login: password, then the authenticator app's six digits when needed."""

from django.shortcuts import render


def locked_out(request, credentials=None, *args, **kwargs):
    """axes calls this when a username has failed too often from this address."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "admin/staff/locked_out.html", {"minutes": minutes}, status=429)
