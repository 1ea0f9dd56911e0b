"""My downloads: the files prepared in the background for the signed-in user, their progress,
and the file itself. Only the owner sees a download (``visible_to``: anything else is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from .models import PreparedDownload


def _download_for(user, pk: int, *, with_file: bool = False) -> PreparedDownload:
    qs = PreparedDownload.objects.visible_to(user)
    return get_object_or_404(qs if with_file else qs.defer("data"), pk=pk)


@require_safe
def download_list(request: HttpRequest) -> HttpResponse:
    downloads = PreparedDownload.objects.visible_to(request.user).defer("data")
    return render(request, "downloads/download_list.html", {"downloads": downloads})


@require_safe
def download_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one download; htmx asks for the status part every second until the
    file is ready or has failed (without JavaScript, a link reloads the page)."""
    download = _download_for(request.user, pk)
    template = "downloads/download_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#status"
    return render(request, template, {"download": download})


@require_safe
def download_file(request: HttpRequest, pk: int) -> HttpResponse:
    download = _download_for(request.user, pk, with_file=True)
    if download.status != PreparedDownload.Status.READY:
        return redirect(download)
    response = HttpResponse(bytes(download.data), content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
