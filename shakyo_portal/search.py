"""Site search (being written)."""

from django.http import HttpResponse


def search(request):
    return HttpResponse("準備中")
