from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import TimeStampedModel


class CalendarFeed(TimeStampedModel):
    """A person's subscribable calendar: its secret key is the whole credential of the feed's URL (calendar apps
    cannot sign in), so it is long, random, replaced on request and dies with the account's access."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(_("key"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
