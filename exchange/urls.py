"""Information exchange: the COA list import (``import_*``) and the exports (``export_*``)."""

from django.urls import path

from . import export_views, views

urlpatterns = [
    path("coa-lijst/", views.import_upload, name="import_upload"),
    path("coa-lijst/huidige-lijst/", views.import_current_list, name="import_current_list"),
    path("coa-lijst/<int:pk>/", views.import_preview, name="import_preview"),
    path("coa-lijst/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("export/huishoudens/", export_views.export_households, name="export_households"),
    path("export/woningaanbod/", export_views.export_vacancies, name="export_vacancies"),
    path("export/taakstelling/", export_views.export_quota, name="export_quota"),
    path("export/omkoppelingen/", export_views.export_relinks, name="export_relinks"),
    path(
        "export/overleg/<int:pk>/besluitenlijst/",
        export_views.export_meeting_decisions,
        name="export_meeting_decisions",
    ),
    path("export/facturen/<str:period>/", export_views.export_invoices, name="export_invoices"),
    path(
        "export/facturen/<str:period>/pdf/",
        export_views.export_invoice_pdfs,
        name="export_invoice_pdfs",
    ),
]
