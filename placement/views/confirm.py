"""The confirm step of actions that cannot be undone.

A first POST (without ``confirm=1``) is validated like any other; when it is valid, the view
answers what will happen instead of doing it: a page (``confirm.html``) or, for an htmx request,
a ``<dialog>`` fragment that ``static/js/app.js`` opens as a modal. Both hold the posted data as
hidden fields and a "Yes, …" button that posts it again with ``confirm=1``; only that POST acts.
Everything works without JavaScript: htmx only saves the round trip to a separate page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Posted names the confirm form sets itself.
OWN_FIELDS = ("confirm", "csrfmiddlewaretoken")


@dataclass
class Confirmation:
    """What the person is asked: a title, a statement of exactly what will happen, optionally
    a list (the nominations, the invoices), and the labels of the two ways out."""

    title: str
    statement: str
    yes: str
    cancel_url: str
    items: Sequence[str] = field(default_factory=list)
    note: str = ""


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


def ask(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The confirm step for this POST: a page, or the dialog fragment for htmx."""
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in OWN_FIELDS
        for value in values
    ]
    context = {"confirmation": confirmation, "hidden": hidden, "action": request.path}
    if request.htmx:
        response = render(request, "includes/confirm.html", {**context, "dialog": True})
        response.is_confirm_fragment = True
        return response
    return render(request, "confirm.html", context)


def confirm_step(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the htmx request of a view with a confirm step, every answer but the dialog is a
    whole page: a redirect becomes ``HX-Redirect`` (the browser goes there, its messages
    shown), a page with errors replaces the body (the dialog would otherwise be appended)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not request.htmx or getattr(response, "is_confirm_fragment", False):
            return response
        if response.status_code in (301, 302, 303):
            redirect = HttpResponse(status=200)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "innerHTML"
        return response

    return wrapper
