"""Placeholder until this module is written."""

from django.http import Http404


def plan_status(request, **kwargs):
    raise Http404


def plan_detail(request, **kwargs):
    raise Http404


def report_new(request, **kwargs):
    raise Http404


def program_detail(request, **kwargs):
    raise Http404
