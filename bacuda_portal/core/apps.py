from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bacuda_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from bacuda_portal.celery import ensure_filesystem_broker_folders

        from . import privacy, privacy_services  # noqa: F401 - privacy_services registers the exports category

        ensure_filesystem_broker_folders()
        # Every app's privacy.py registers its kinds of personal data (the register, retention, erasure, export).
        privacy.autodiscover()
