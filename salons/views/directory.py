"""Placeholder until this module is written."""

from django.http import Http404


def salon_list(request, **kwargs):
    raise Http404


def salon_detail(request, **kwargs):
    raise Http404
