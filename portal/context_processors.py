"""Template context every page needs: the site the request is for."""


def current_site(request):
    return {"site": getattr(request, "site", None)}
