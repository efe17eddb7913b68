from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "bacuda_portal.website"
    label = "website"
    verbose_name = _("Public website")

    def ready(self) -> None:
        from . import signals

        signals.connect()
