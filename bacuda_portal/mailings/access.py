"""Who may write mailings and their templates: WCO staff only; everyone else is told "not found"."""

from django.http import Http404

from bacuda_portal.members.access import is_wco_staff

from . import selectors
from .models import Mailing, MailingTemplate


def can_send_mailings(user) -> bool:
    return is_wco_staff(user)


def require_mailing_staff(user) -> None:
    """For pages without an object (the lists, a new mailing): 404 for anyone but staff."""
    if not can_send_mailings(user):
        raise Http404


def get_mailing_for(user, pk: int) -> Mailing:
    require_mailing_staff(user)
    mailing = selectors.mailing_detail(pk)
    if mailing is None:
        raise Http404
    return mailing


def get_template_for(user, pk: int) -> MailingTemplate:
    require_mailing_staff(user)
    template = MailingTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404
    return template
