from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regions"
    verbose_name = _("Regions and organisations")
