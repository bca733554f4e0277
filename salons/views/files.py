"""Placeholder until this module is written."""

from django.http import Http404


def attachment(request, **kwargs):
    raise Http404
