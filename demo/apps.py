from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo and benchmark data generator (``manage.py seed_demo``); no models."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("Demo data")
