"""What a list is shown with: its reader's own filter, remembered per list in the session, or
the list's default for what that reader works on; the status filter as a set of checkboxes."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, QueryDict

SESSION_KEY = "list_filters"
PAGE = "page"
# Filters longer than this are used but not remembered (the session stays small).
MAX_REMEMBERED = 2000


def remembered_params(request: HttpRequest, key: str) -> QueryDict:
    """The query string list ``key`` is shown with.

    A request with filters or a sort of its own uses them and remembers them for the next visit;
    a bare request (the menu, a breadcrumb) gets the remembered ones back; ``reset`` forgets
    them. The page number is never remembered: a list comes back at page 1.
    """
    params = request.GET.copy()
    stored: dict[str, str] = request.session.get(SESSION_KEY, {})
    if "reset" in params:
        if key in stored:
            del stored[key]
            request.session[SESSION_KEY] = stored
        return QueryDict(mutable=True)
    if any(name != PAGE for name in params):
        own = params.copy()
        own.pop(PAGE, None)
        encoded = own.urlencode()
        if stored.get(key) != encoded and len(encoded) <= MAX_REMEMBERED:
            request.session[SESSION_KEY] = {**stored, key: encoded}
        return params
    if key in stored:
        restored = QueryDict(stored[key], mutable=True)
        if PAGE in params:
            restored.setlist(PAGE, params.getlist(PAGE))
        return restored
    return params


def with_statuses(
    params: QueryDict, *, choices: Iterable[str], default: Iterable[str]
) -> QueryDict:
    """``params`` with the statuses to show ticked: the chosen ones, every status after "all",
    or else ``default``. The form then shows exactly what the list is filtered on."""
    choices = list(choices)
    chosen = [s for s in params.getlist("status") if s in choices]
    if not chosen:
        chosen = choices if params.get("all") else list(default)
    params = params.copy()
    params.setlist("status", chosen)
    return params
