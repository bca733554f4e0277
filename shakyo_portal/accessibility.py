"""The accessibility page (being written)."""

from django.http import HttpResponse


def accessibility(request):
    return HttpResponse("準備中")
