from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regels/", views.rules, name="rules"),
    # Households
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/nieuw/", views.household_create, name="household_create"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
    path("huishoudens/<int:pk>/bewerken/", views.household_edit, name="household_edit"),
    path("huishoudens/<int:pk>/status/", views.household_status, name="household_status"),
    path("huishoudens/<int:pk>/eigen-woning/", views.household_own_home, name="household_own_home"),
    path("huishoudens/<int:pk>/woningen/", views.household_vacancies, name="household_vacancies"),
    path("huishoudens/<int:pk>/inzage/", views.household_read_log, name="household_read_log"),
    path("huishoudens/<int:pk>/ondersteuning/", views.support_link_add, name="support_link_add"),
    path(
        "huishoudens/<int:pk>/ondersteuning/<int:link_pk>/",
        views.support_link_grants,
        name="support_link_grants",
    ),
    path(
        "huishoudens/<int:pk>/ondersteuning/<int:link_pk>/verwijderen/",
        views.support_link_remove,
        name="support_link_remove",
    ),
    path("mijn-inzage/", views.my_reads, name="my_reads"),
    # Vacancies
    path("woningaanbod/", views.vacancy_list, name="vacancy_list"),
    path("woningaanbod/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("woningaanbod/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("woningaanbod/<int:pk>/bewerken/", views.vacancy_edit, name="vacancy_edit"),
    path("woningaanbod/<int:pk>/accepteren/", views.vacancy_accept, name="vacancy_accept"),
    path("woningaanbod/<int:pk>/teruggeven/", views.vacancy_return, name="vacancy_return"),
    path("woningaanbod/<int:pk>/intrekken/", views.vacancy_withdraw, name="vacancy_withdraw"),
    path("woningaanbod/<int:pk>/kandidaten/", views.vacancy_candidates, name="vacancy_candidates"),
    path("woningaanbod/<int:pk>/voordragen/", views.vacancy_nominate, name="vacancy_nominate"),
    # Meetings
    path("overleg/", views.meeting_list, name="meeting_list"),
    path("overleg/provincie/", views.meeting_dates, name="meeting_dates"),
    path("overleg/schema/", views.meeting_schedule, name="meeting_schedule"),
    path("overleg/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("overleg/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("overleg/<int:pk>/agenda/", views.meeting_build_agenda, name="meeting_build_agenda"),
    path("overleg/<int:pk>/starten/", views.meeting_start, name="meeting_start"),
    path("overleg/<int:pk>/toevoegen/", views.agenda_add, name="agenda_add"),
    path("overleg/<int:pk>/sluiten/", views.meeting_close, name="meeting_close"),
    path("overleg/<int:pk>/voorstel/", views.meeting_proposal, name="meeting_proposal"),
    path("overleg/<int:pk>/punten/<int:item_pk>/", views.agenda_item_edit, name="agenda_item_edit"),
    path("overleg/<int:pk>/agenda.pdf", views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path(
        "overleg/<int:pk>/besluitenlijst.pdf",
        views.meeting_decisions_pdf,
        name="meeting_decisions_pdf",
    ),
    # Nominations
    path("voordrachten/", views.nomination_list, name="nomination_list"),
    path("voordrachten/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "voordrachten/<int:pk>/<slug:action>/",
        views.nomination_outcome,
        name="nomination_outcome",
    ),
]
