import logging

from django.conf import settings
from django.templatetags.static import static

from .access import capabilities, get_membership

logger = logging.getLogger(__name__)


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = get_membership(user)
    return {
        "membership": membership,
        "can": capabilities(user),
        "region_logo": region_logo_url(membership.region.code)
        if membership and membership.region
        else None,
    }


def region_logo_url(code: str) -> str | None:
    """The URL of the region's logo for the header (settings.REGION_LOGOS), or None.

    A configured file missing from the collected static files is logged and left out: a
    misspelt path must not break every page."""
    path = settings.REGION_LOGOS.get(code)
    if not path:
        return None
    try:
        return static(path)
    except ValueError:
        logger.warning("REGION_LOGOS: %s is not among the static files", path)
        return None
