from django.utils.functional import cached_property

from .models import Notice


class UnreadNotices:
    """The unread count in the header: one COUNT query, made only when a page shows it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return Notice.objects.visible_to(self.user).unread().count()


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": UnreadNotices(user)}
