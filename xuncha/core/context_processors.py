from xuncha import __version__
from xuncha.core import navigation as nav


def navigation(request):
    """Adds the navigation entries the current user may see."""
    user = getattr(request, "user", None)
    return {
        "nav_items": nav.items_for(user, request.path) if user is not None else [],
        "xuncha_version": __version__,
    }
