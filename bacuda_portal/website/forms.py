"""The contact form, with spam protection that needs no outside service.

- a honeypot field people never see (bots fill it in): the message is dropped and the bot sees "thank you";
- a signed time token: a form sent back sooner than BACUDA_CONTACT_MIN_SECONDS after it was shown is refused
  (the visitor's text is kept and shown again);
- a rate limit per IP address in the cache (see ``views.contact``).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import ContactMessage

TOKEN_SALT = "website.contact.form"
TOKEN_MAX_AGE = 24 * 60 * 60


def new_form_token(now: float | None = None) -> str:
    return signing.dumps(now if now is not None else time.time(), salt=TOKEN_SALT)


class ContactForm(forms.ModelForm):
    # The honeypot: hidden from people by CSS and from assistive technology by aria-hidden (see the template).
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    form_token = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "organisation", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = new_form_token()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        try:
            shown_at = float(signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("The form has expired: please send it again."), code="expired") from None
        if time.time() - shown_at < settings.BACUDA_CONTACT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very fast: please check your message and send it again."), code="too_fast"
            )
        return token
