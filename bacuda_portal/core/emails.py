"""Templated emails (text and HTML), rendered here and sent by a Celery worker.

Templates live in ``templates/emails/<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``; they are
rendered in the recipient's language. The message is queued once the current transaction commits, so a
rolled-back change never sends mail.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(*, template: str, context: dict[str, Any], language: str | None = None) -> RenderedEmail:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return RenderedEmail(subject=subject, text=text, html=html)


def queue_email(*, to: list[str], email: RenderedEmail) -> None:
    """Hand a rendered message to the ``default`` queue after the transaction commits."""
    from .tasks import send_email

    transaction.on_commit(
        lambda: send_email.delay(to=list(to), subject=email.subject, text=email.text, html=email.html)
    )


def send_templated_email(
    *, template: str, to: list[str], context: dict[str, Any], language: str | None = None
) -> RenderedEmail:
    email = render_email(template=template, context=context, language=language)
    queue_email(to=to, email=email)
    return email
