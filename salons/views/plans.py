"""Placeholder until this module is written."""

from django.http import Http404


def plan_start(request, **kwargs):
    raise Http404


def plan_new(request, **kwargs):
    raise Http404


def plan_renew(request, **kwargs):
    raise Http404


def plan_estimate(request, **kwargs):
    raise Http404


def plan_resume(request, **kwargs):
    raise Http404


def plan_edit(request, **kwargs):
    raise Http404


def plan_done(request, **kwargs):
    raise Http404


def plan_print(request, **kwargs):
    raise Http404
