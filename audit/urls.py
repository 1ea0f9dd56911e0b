from django.urls import path

from . import views

urlpatterns = [
    path("wijzigingen/<slug:kind>/<int:pk>/", views.change_history, name="change_history"),
    path("privacy/", views.privacy, name="privacy"),
]
