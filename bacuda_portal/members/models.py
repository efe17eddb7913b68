"""Regions, Member administrations, users, contact points and invitations."""

import hashlib

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import bilingual_property
from bacuda_portal.core.models import TimeStampedModel

from .enums import STAFF_ROLES, ContactPointRole, InvitationStatus, Language, MemberKind, Role


class BilingualNameMixin:
    """``name`` in the active language, falling back to English when the French name is empty."""

    name_en: str
    name_fr: str

    name = bilingual_property("name_en", "name_fr")


class Region(BilingualNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("WCO region")
        verbose_name_plural = _("WCO regions")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class AdministrationQuerySet(models.QuerySet):
    def members(self) -> "AdministrationQuerySet":
        """Current WCO Members (not retired)."""
        return self.filter(retired_on__isnull=True)


class Administration(BilingualNameMixin, TimeStampedModel):
    """A WCO Member's Customs administration. Reference data: editable, never deleted, retired instead."""

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 3166-1 alpha-3 code where one exists (XKX for Kosovo, EUU for the European Union)."),
    )
    iso_alpha2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, blank=True)
    iso_alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, blank=True)
    iso_numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="administrations"
    )
    kind = models.CharField(_("kind of Member"), max_length=24, choices=MemberKind.choices, default=MemberKind.STATE)
    joined_year = models.PositiveSmallIntegerField(_("year joined the WCO"), null=True, blank=True)
    retired_on = models.DateField(
        _("membership ended on"), null=True, blank=True, help_text=_("Leave empty while the Member is current.")
    )

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Member administration")
        verbose_name_plural = _("Member administrations")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_alpha2"], condition=~Q(iso_alpha2=""), name="administration_unique_iso_alpha2"
            ),
            models.UniqueConstraint(
                fields=["iso_alpha3"], condition=~Q(iso_alpha3=""), name="administration_unique_iso_alpha3"
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2,8}$"), name="administration_code_upper"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:administration_detail", kwargs={"code": self.code})

    @property
    def is_member(self) -> bool:
        return self.retired_on is None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields["is_superuser"] = True
        fields.setdefault("role", Role.PROJECT_MANAGER)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. Their ``role`` decides what they reach."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.APPLICANT, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unselect this instead of deleting an account.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to sign the person out everywhere (two-factor reset, deactivation): it is part of every session's
    # authentication hash, so each of their sessions stops working at its next request.
    sessions_generation = models.PositiveIntegerField(_("sessions generation"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_staff(self) -> bool:
        """Derived, never stored: WCO staff roles (and superusers) reach the Django admin."""
        return self.is_active and (self.is_superuser or self.role in STAFF_ROLES)

    def _get_session_auth_hash(self, secret=None):
        # Generation 0 keeps Django's own hash, so that introducing the generation signed nobody out.
        if not self.sessions_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "bacuda_portal.members.User.session_auth_hash",
            f"{self.password}:{self.sessions_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ContactPointQuerySet(models.QuerySet):
    def active(self, on=None) -> "ContactPointQuerySet":
        today = on or timezone.localdate()
        return self.filter(
            Q(active_to__isnull=True) | Q(active_to__gte=today), active_from__lte=today, user__is_active=True
        )


class ContactPoint(TimeStampedModel):
    """Binds a user to the one administration they speak for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="contact_point"
    )
    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="contact_points"
    )
    role = models.CharField(
        _("contact point role"),
        max_length=24,
        choices=ContactPointRole.choices,
        default=ContactPointRole.BACUDA_FOCAL_POINT,
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active to"), null=True, blank=True)

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["administration__name_en", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="contact_point_active_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.administration.code})"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.user.is_active and self.active_from <= today and (self.active_to is None or self.active_to >= today)


def hash_invitation_token(token: str) -> str:
    """Only the hash is stored: a leaked database does not leak usable invitation links."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(TimeStampedModel):
    """Staff invite a contact point for an administration; the link is single use and expires."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="invitations"
    )
    contact_point_role = models.CharField(
        _("contact point role"),
        max_length=24,
        choices=ContactPointRole.choices,
        default=ContactPointRole.BACUDA_FOCAL_POINT,
    )
    language = models.CharField(_("language of the email"), max_length=2, choices=Language.choices, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact point invitation")
        verbose_name_plural = _("contact point invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.administration.code}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label
