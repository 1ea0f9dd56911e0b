from django.urls import path

from . import views

urlpatterns = [
    path("", views.quota_dashboard, name="quota_dashboard"),
    path("gemeente/<int:pk>/", views.quota_municipality, name="quota_municipality"),
    path(
        "gemeente/<int:pk>/<str:period>/",
        views.quota_drilldown,
        name="quota_drilldown",
    ),
    path("omkoppelingen/", views.quota_relinks, name="quota_relinks"),
    path("perioden/", views.quota_periods, name="quota_periods"),
    path("perioden/<str:period>/", views.quota_targets, name="quota_targets"),
    path("telregel/", views.quota_rule, name="quota_rule"),
]
