from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and sessions")

    def ready(self) -> None:
        from django.contrib import admin

        from . import signals  # noqa: F401  (connects the receivers)
        from .views import admin_login

        # The admin has no login form of its own: it sends people to the app's login, with
        # its lockout and second step (no bypass through /admin/login/).
        admin.site.login = admin_login
