from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bacuda_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from PIL import Image

        from bacuda_portal.celery import ensure_filesystem_broker_folders

        from . import privacy, privacy_services  # noqa: F401 - privacy_services registers the exports category
        from .uploads.images import MAX_IMAGE_PIXELS

        ensure_filesystem_broker_folders()
        # Pillow's own decompression-bomb guard (a warning past the limit, an error past twice it) uses the
        # portal's limit everywhere pictures are opened: the upload check, the news resize, PDF rendering.
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        # Every app's privacy.py registers its kinds of personal data (the register, retention, erasure, export).
        privacy.autodiscover()
