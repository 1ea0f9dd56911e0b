from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regels/", views.rules, name="rules"),
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/nieuw/", views.household_create, name="household_create"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
    path("huishoudens/<int:pk>/bewerken/", views.household_edit, name="household_edit"),
    path("huishoudens/<int:pk>/status/", views.household_status, name="household_status"),
    path("woningaanbod/", views.vacancy_list, name="vacancy_list"),
    path("woningaanbod/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("woningaanbod/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("woningaanbod/<int:pk>/bewerken/", views.vacancy_edit, name="vacancy_edit"),
    path("woningaanbod/<int:pk>/accepteren/", views.vacancy_accept, name="vacancy_accept"),
    path("woningaanbod/<int:pk>/teruggeven/", views.vacancy_return, name="vacancy_return"),
    path("woningaanbod/<int:pk>/intrekken/", views.vacancy_withdraw, name="vacancy_withdraw"),
]
