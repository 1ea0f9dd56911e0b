from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory_list, name="directory_list"),
    path("nieuw/", views.participant_create, name="directory_add"),
    path("<int:pk>/bewerken/", views.participant_edit, name="directory_edit"),
    path("<int:pk>/van-tafel/", views.participant_deactivate, name="directory_remove"),
    path("organisaties/nieuw/", views.organisation_create, name="directory_org_add"),
    path(
        "organisaties/<int:pk>/bewerken/",
        views.organisation_edit,
        name="directory_org_edit",
    ),
    path("overleg/<int:pk>/", views.meeting_attendance, name="directory_attendance"),
    path("deelnemers.vcf", views.directory_vcard, name="directory_vcard"),
    path("export/", views.directory_export, name="directory_export"),
]
