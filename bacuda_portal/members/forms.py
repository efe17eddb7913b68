from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.utils.translation import gettext_lazy as _

from .enums import ContactPointRole, Language, MemberKind, Role
from .models import Region, User


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    contact_point_role = forms.ChoiceField(
        label=_("Contact point role"), choices=ContactPointRole.choices, initial=ContactPointRole.BACUDA_FOCAL_POINT
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=Language.choices)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            # Validate against the future user so that similarity to the name and email is refused.
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""), role=Role.CONTACT_POINT)
            try:
                validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AdministrationFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("All")), ("current", _("Current Members")), ("retired", _("Retired"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *list(MemberKind.choices)])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All"))] + [(region.code, str(region)) for region in regions]


class AccountErasureForm(forms.Form):
    """A person asks for everything the portal holds on them to be erased, their account included."""

    note = forms.CharField(
        label=_("Anything staff should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and I will no longer be able to sign in."),
        error_messages={"required": _("Tick the box to confirm that your account will be closed.")},
    )
