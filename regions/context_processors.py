from .access import capabilities, get_membership


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"membership": get_membership(user), "can": capabilities(user)}
