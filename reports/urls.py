from django.urls import path

from . import views, whatif_views

urlpatterns = [
    path("", views.reports_overview, name="reports_overview"),
    # Before "<slug:figure>/", which would take "wat-als" for a figure.
    path("wat-als/", whatif_views.whatif_page, name="whatif"),
    path("export/<slug:figure>/", views.reports_export, name="reports_export"),
    path("<slug:figure>/", views.reports_drilldown, name="reports_drilldown"),
]
