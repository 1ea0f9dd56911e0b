from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quota"
    verbose_name = _("Housing quota")
