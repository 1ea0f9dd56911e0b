from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "placement"
    verbose_name = _("Placement")
