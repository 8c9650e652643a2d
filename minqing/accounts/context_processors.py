from .navigation import nav_for
from .policy import grants_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": nav_for(user), "my_grants": grants_of(user)}
