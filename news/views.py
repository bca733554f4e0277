from django.shortcuts import render


def index(request):
    # This section arrives with its own issue; until then the
    # navigation leads to a page that says whom to ask.
    return render(request, "news/index.html")
