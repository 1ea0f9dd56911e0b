from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_open, name="notice_open"),
    path("alles-gelezen/", views.notice_mark_all_read, name="notice_mark_all_read"),
    path("voorkeuren/", views.notice_preferences, name="notice_preferences"),
    path("overleg/<int:pk>/agenda/", views.meeting_send_agenda, name="meeting_send_agenda"),
]
