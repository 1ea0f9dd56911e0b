from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Django's own names (login, logout, password_change, password_reset...) stay unnamespaced:
# Django's views and templates reverse them.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweestaps/", views.mfa_verify, name="mfa_verify"),
    path("tweestaps/instellen/", views.mfa_setup, name="mfa_setup"),
    path("tweestaps/herstelcodes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("", views.account, name="account"),
    path("sessies/afmelden/", views.account_end_other_sessions, name="account_end_sessions"),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
