from django.shortcuts import render


def index(request):
    # The salon directory arrives with the salons issue; until then the
    # navigation leads to a page that says whom to ask.
    return render(request, "salons/index.html")
