from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlgorithmsConfig(AppConfig):
    name = "algorithms"
    label = "algorithms"
    verbose_name = _("Algorithms")
