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
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ContactMessage, NewsPost

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


class NewsPostForm(forms.ModelForm):
    """A news post as staff write it: both languages side by side, a picture, a publication date (empty: draft)."""

    class Meta:
        model = NewsPost
        fields = [
            "slug",
            "publish_at",
            "title_en",
            "title_fr",
            "summary_en",
            "summary_fr",
            "body_en",
            "body_fr",
            "image",
            "image_alt_en",
            "image_alt_fr",
        ]
        widgets = {
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_fr": forms.Textarea(attrs={"rows": 3}),
            "body_en": forms.Textarea(attrs={"rows": 12}),
            "body_fr": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Used in the page address; left empty, it is made from the title.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and not self.has_error("slug"):
            cleaned["slug"] = slugify(cleaned.get("title_en") or cleaned.get("title_fr") or "")[:120]
        if not cleaned.get("title_en", "").strip() and not cleaned.get("title_fr", "").strip():
            self.add_error("title_en", _("Give the post a title in English, in French or in both."))
        if cleaned.get("image") and not (cleaned.get("image_alt_en", "").strip() or cleaned.get("image_alt_fr", "")):
            self.add_error("image_alt_en", _("Describe the picture for readers who cannot see it."))
        return cleaned


NEWS_STATES = {
    "draft": pgettext_lazy("news post status", "Draft"),
    "scheduled": pgettext_lazy("news post status", "Scheduled"),
    "published": pgettext_lazy("news post status", "Published"),
}
NEWS_STATE_CHOICES = [("", _("All")), *NEWS_STATES.items()]


class NewsFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Status"), choices=NEWS_STATE_CHOICES, required=False)
