from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from bacuda_portal.core.admin import PortalModelAdmin
from bacuda_portal.core.exceptions import TransitionError

from . import access, services
from .enums import Role
from .models import Administration, ContactPoint, Invitation, Region, User

# Two-factor secrets and API tokens are credentials: staff never read them in the admin. Staff reset a lost
# authenticator with the user action below; people manage their own tokens on their account page.
for credential_model in (Authenticator, TokenProxy):
    if admin.site.is_registered(credential_model):
        admin.site.unregister(credential_model)


def _password_change_on_the_account_pages(request, extra_context=None):
    # One way to change one's password (allauth's page, through PortalAccountAdapter.set_password), so that the
    # change always revokes the person's tokens and is audited; the admin's own form would bypass both.
    return redirect("account_change_password")


admin.site.password_change = _password_change_on_the_account_pages


def _run_for_each(modeladmin, request, queryset, service, argument=None, **kwargs):
    """Apply a state-change service to every selected row; refusals are reported, not raised."""
    done = 0
    for obj in queryset:
        try:
            service(by=request.user, **{argument or modeladmin.service_argument: obj}, **kwargs)
            done += 1
        except (TransitionError, ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request, f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.WARNING
            )
    if done:
        modeladmin.message_user(request, _("%(count)d row(s) updated.") % {"count": done}, messages.SUCCESS)


@admin.register(Region)
class RegionAdmin(PortalModelAdmin):
    list_display = ["code", "name_en", "name_fr", "sort_order"]
    search_fields = ["code", "name_en", "name_fr"]
    ordering = ["sort_order"]


@admin.register(Administration)
class AdministrationAdmin(PortalModelAdmin):
    service_argument = "administration"
    list_display = ["code", "name_en", "name_fr", "iso_alpha2", "region", "kind", "joined_year", "retired_on"]
    list_filter = ["region", "kind", ("retired_on", admin.EmptyFieldListFilter)]
    search_fields = ["code", "iso_alpha2", "iso_alpha3", "name_en", "name_fr"]
    list_select_related = ["region"]
    readonly_fields = ["created_at", "updated_at"]
    actions = [*PortalModelAdmin.actions, "retire", "reinstate"]

    @admin.action(description=_("Retire the selected Members (they left the WCO)"))
    def retire(self, request, queryset):
        _run_for_each(self, request, queryset, services.administration_retire)

    @admin.action(description=_("Reinstate the selected Members"))
    def reinstate(self, request, queryset):
        _run_for_each(self, request, queryset, services.administration_reinstate)


class UserAdminForm(forms.ModelForm):
    """An account's name, role, language and activation. No password: nobody sets another person's password
    (staff send a reset link); no email address on an existing account: it is the person's sign-in."""

    class Meta:
        model = User
        fields = ["email", *services.ACCOUNT_FIELDS]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if request is not None and "role" in self.fields and not access.is_project_manager(request.user):
            self.fields["role"].choices = [
                (value, label) for value, label in Role.choices if access.can_assign_role(request.user, value)
            ]
            self.fields["role"].help_text = _("Only the project manager gives a WCO staff role.")
        # The row as it is now: the form writes the new values onto ``instance`` while it validates.
        self.saved = User.objects.get(pk=self.instance.pk) if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        if self.request is None or not {"role", "is_active"} <= cleaned.keys():
            return cleaned
        if self.saved is None:
            if not access.can_assign_role(self.request.user, cleaned["role"]):
                self.add_error("role", _("Only the project manager can give a WCO staff role."))
            return cleaned
        try:
            services.account_change_check(
                account=self.saved, by=self.request.user, role=cleaned["role"], is_active=cleaned["is_active"]
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(User)
class UserAdmin(PortalModelAdmin):
    form = UserAdminForm
    list_display = ["email", "full_name", "role", "is_active", "last_login", "date_joined"]
    list_filter = ["role", "is_active", "preferred_language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "is_superuser"]
    service_argument = "user"
    actions = [*PortalModelAdmin.actions, "send_password_reset_link", "reset_two_factor", "revoke_api_tokens"]
    fieldsets = [
        (None, {"fields": ["email", "full_name"]}),
        (_("Role"), {"fields": ["role", "preferred_language", "is_active", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "email"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_manage_account(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.account_deletable(account=obj, by=request.user))

    def get_actions(self, request):
        # People are deleted one by one (each checked above), never in bulk.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestBoundForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return RequestBoundForm

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in services.ACCOUNT_FIELDS}
        if change:
            services.account_update(account=form.saved, by=request.user, **values)
        else:
            created = services.account_create(email=form.cleaned_data["email"], by=request.user, **values)
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.account_delete(account=obj, by=request.user)

    @admin.action(description=_("Send a link to choose a new password"))
    def send_password_reset_link(self, request, queryset):
        _run_for_each(self, request, queryset, services.account_password_link_send, argument="account")

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_two_factor(self, request, queryset):
        _run_for_each(self, request, queryset, services.two_factor_reset)

    @admin.action(description=_("Revoke API tokens"))
    def revoke_api_tokens(self, request, queryset):
        _run_for_each(self, request, queryset, services.account_tokens_revoke, argument="account")


@admin.register(ContactPoint)
class ContactPointAdmin(PortalModelAdmin):
    service_argument = "contact_point"
    list_display = ["user", "administration", "role", "position", "active_from", "active_to"]
    list_filter = ["role", "administration__region", ("active_to", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "administration__name_en", "administration__code"]
    list_select_related = ["user", "administration"]
    autocomplete_fields = ["administration"]
    raw_id_fields = ["user"]
    actions = [*PortalModelAdmin.actions, "end_today"]

    @admin.action(description=_("End the selected contact points today"))
    def end_today(self, request, queryset):
        _run_for_each(self, request, queryset, services.contact_point_end)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "full_name", "administration", "contact_point_role", "language"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("administration"):
            try:
                services.check_invitable(email=cleaned["email"], administration=cleaned["administration"])
            except ValidationError as error:
                self.add_error("email", error)
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(PortalModelAdmin):
    service_argument = "invitation"
    add_form = InvitationAddForm
    list_display = [
        "email",
        "administration",
        "contact_point_role",
        "status_label",
        "invited_by",
        "created_at",
        "expires_at",
    ]
    list_filter = ["contact_point_role", "administration__region", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "full_name", "administration__name_en", "administration__code"]
    list_select_related = ["administration", "invited_by"]
    autocomplete_fields = ["administration"]
    readonly_fields = [
        "email",
        "full_name",
        "administration",
        "contact_point_role",
        "language",
        "invited_by",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "created_at",
    ]
    actions = [*PortalModelAdmin.actions, "resend", "revoke"]

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.add_form.Meta.fields if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # invitations change only through their actions

    def save_model(self, request, obj, form, change):
        # Adding goes through the service, which creates the token and queues the email.
        invitation, _token = services.invitation_create(by=request.user, **form.cleaned_data)
        obj.pk = invitation.pk
        obj._state.adding = False

    @admin.action(description=_("Send the selected invitations again with a new link"))
    def resend(self, request, queryset):
        _run_for_each(self, request, queryset, services.invitation_resend)

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke(self, request, queryset):
        _run_for_each(self, request, queryset, services.invitation_revoke)
