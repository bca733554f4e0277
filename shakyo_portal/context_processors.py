def site(request):
    return {}


def display_preferences(request):
    return {}
