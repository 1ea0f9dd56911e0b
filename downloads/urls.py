from django.urls import path

from . import views

urlpatterns = [
    path("", views.download_list, name="download_list"),
    path("<int:pk>/", views.download_detail, name="download_detail"),
    path("<int:pk>/bestand/", views.download_file, name="download_file"),
]
