from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from bacuda_portal.core.emails import RenderedEmail, queue_email

from . import services
from .enums import Role


class PortalAccountAdapter(DefaultAccountAdapter):
    """Self-registration makes scholarship applicants only; allauth's emails go out through Celery."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = Role.APPLICANT
        user.preferred_language = (getattr(request, "LANGUAGE_CODE", "en") or "en")[:2]
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(to=[email], email=RenderedEmail(subject=message.subject, text=message.body, html=html))

    def set_password(self, user, password) -> None:
        """Every password change, set and reset of allauth comes through here: the person's tokens stop working."""
        super().set_password(user, password)
        services.password_changed(user=user)

    def get_login_redirect_url(self, request):
        return reverse(settings.LOGIN_REDIRECT_URL)
