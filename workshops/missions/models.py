"""Missions and travel: a mission, its travel request before the trip and the claim after it.

Money is ``Decimal`` with an ISO 4217 currency. Totals and the variance are computed on every read (properties
here and ``selectors.claim_summary``), never stored or typed: a stored total would disagree with its lines the
first time a line changed.

Currencies: the travel request fixes the mission's currency. A claim line may be in another currency (a taxi
paid in local money) and then carries ``exchange_rate``: how many units of the request currency one unit of the
line's currency was worth, as on the traveller's exchange receipt or the UN operational rate of the day. Each
converted line is rounded to the cent (half up) before the lines are added up, so that the claim total is the
sum of the amounts shown on each line.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.core.uploads import RECEIPT_TYPES, UploadValidator, get_private_storage
from bacuda_portal.members.models import Administration

from .currencies import validate_currency_code
from .enums import ClaimStatus, ExpenseCategory, MissionStage, TravelRequestStatus

CENT = Decimal("0.01")
RECEIPT_MAX_MEGABYTES = 5
DECIDED_REQUEST_STATUSES = [TravelRequestStatus.APPROVED, TravelRequestStatus.REJECTED]
DECIDED_CLAIM_STATUSES = [ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.PAID]


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def currency_field(verbose_name=None, **kwargs) -> models.CharField:
    return models.CharField(
        verbose_name or _("currency"),
        max_length=3,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code, such as EUR, USD or XOF."),
        **kwargs,
    )


class Mission(TimeStampedModel):
    """A trip on BACUDA business by one traveller: a WCO staff member or an expert of the registry."""

    traveller_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff traveller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    traveller_expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("expert traveller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    destination_city = models.CharField(_("destination city"), max_length=120)
    destination_country = models.ForeignKey(
        Administration, verbose_name=_("destination country"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    purpose = models.TextField(_("purpose"))
    mission_number = models.CharField(
        _("WCO mission number"),
        max_length=40,
        blank=True,
        help_text=_("The number the WCO mission system gave this mission, once known."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(traveller_user__isnull=False, traveller_expert__isnull=True)
                | Q(traveller_user__isnull=True, traveller_expert__isnull=False),
                name="mission_has_exactly_one_traveller",
                violation_error_message=_("A mission has exactly one traveller: a staff member or an expert."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="mission_ends_after_it_starts",
                violation_error_message=_("The mission cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["mission_number"],
                condition=~Q(mission_number=""),
                name="mission_number_unique_when_set",
                violation_error_message=_("Another mission already has this WCO mission number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.traveller_name} – {self.destination_city}, {self.start_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        self.mission_number = self.mission_number.strip()
        errors = {}
        if (self.traveller_user_id is None) == (self.traveller_expert_id is None):
            errors["traveller_user"] = _("Choose one traveller: a staff member or an expert, not both.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The mission cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def traveller_name(self) -> str:
        if self.traveller_expert_id:
            return self.traveller_expert.full_name
        return str(self.traveller_user) if self.traveller_user_id else ""

    @property
    def traveller_email(self) -> str:
        return self.traveller_expert.email if self.traveller_expert_id else self.traveller_user.email

    @property
    def traveller_account(self):
        """The user account of the traveller, if they have one (many experts never sign in)."""
        return self.traveller_expert.user if self.traveller_expert_id else self.traveller_user

    @property
    def travel_request_or_none(self) -> "TravelRequest | None":
        try:
            return self.travel_request
        except TravelRequest.DoesNotExist:
            return None

    @property
    def claim_or_none(self) -> "Claim | None":
        try:
            return self.claim
        except Claim.DoesNotExist:
            return None

    @property
    def stage(self) -> str:
        claim = self.claim_or_none
        if claim is not None:
            return MissionStage(f"claim_{claim.status}")
        request = self.travel_request_or_none
        if request is not None:
            return MissionStage(f"request_{request.status}")
        return MissionStage.NO_REQUEST


class SubmittedForDecision(TimeStampedModel):
    """Who submitted a travel request or claim and who decided on it (the project manager), when, and why."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    comment = models.TextField(_("decision comment"), blank=True, editable=False)

    class Meta:
        abstract = True


class TravelRequest(ChoiceLabelsMixin, SubmittedForDecision):
    """What the mission is expected to cost, approved by the project manager before the trip."""

    mission = models.OneToOneField(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="travel_request"
    )
    itinerary = models.TextField(_("itinerary"), help_text=_("Flights and other legs, with dates."))
    currency = currency_field()
    dsa_days = models.PositiveSmallIntegerField(
        _("daily subsistence allowance days"), help_text=_("Nights away, as counted for the allowance.")
    )
    dsa_rate = money_field(_("daily subsistence allowance rate"), validators=[MinValueValidator(Decimal("0"))])
    terminal_expenses = money_field(
        _("terminal expenses"), default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    advance = money_field(
        _("advance"),
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Paid to the traveller before the trip; at most the total."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TravelRequestStatus.choices,
        default=TravelRequestStatus.DRAFT,
        editable=False,
        db_index=True,
    )

    class Meta:
        verbose_name = _("travel request")
        verbose_name_plural = _("travel requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TravelRequestStatus.values), name="travel_request_status"),
            models.CheckConstraint(
                condition=Q(dsa_rate__gte=0, terminal_expenses__gte=0, advance__gte=0),
                name="travel_request_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(advance__lte=F("dsa_days") * F("dsa_rate") + F("terminal_expenses")),
                name="travel_request_advance_within_total",
                violation_error_message=_("The advance cannot be more than the total of the request."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DECIDED_REQUEST_STATUSES, decided_at__isnull=False)
                | (~Q(status__in=DECIDED_REQUEST_STATUSES) & Q(decided_at__isnull=True)),
                name="travel_request_decision_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return _("Travel request for %(mission)s") % {"mission": self.mission}

    def clean(self) -> None:
        super().clean()
        amounts = (self.dsa_days, self.dsa_rate, self.terminal_expenses, self.advance)
        if all(amount is not None for amount in amounts) and self.advance > self.total:
            raise ValidationError(
                {
                    "advance": _("The advance cannot be more than the total of the request (%(total)s %(currency)s).")
                    % {"total": self.total, "currency": self.currency}
                }
            )

    @property
    def dsa_amount(self) -> Decimal:
        return (Decimal(self.dsa_days) * self.dsa_rate).quantize(CENT, ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        """Daily subsistence allowance (days times rate) plus terminal expenses, in ``currency``."""
        return self.dsa_amount + self.terminal_expenses

    @property
    def is_editable(self) -> bool:
        """Staff change a draft; a rejected request is corrected and submitted again."""
        return self.status in (TravelRequestStatus.DRAFT, TravelRequestStatus.REJECTED)


class Claim(ChoiceLabelsMixin, SubmittedForDecision):
    """What the trip actually cost, with receipts, filed by the traveller (or staff for them) after the trip."""

    mission = models.OneToOneField(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="claim")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ClaimStatus.choices,
        default=ClaimStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status"),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.PAID, paid_on__isnull=False) & ~Q(payment_reference="")
                | (~Q(status=ClaimStatus.PAID) & Q(paid_on__isnull=True, payment_reference="")),
                name="claim_paid_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DECIDED_CLAIM_STATUSES, decided_at__isnull=False)
                | (~Q(status__in=DECIDED_CLAIM_STATUSES) & Q(decided_at__isnull=True)),
                name="claim_decision_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return _("Claim for %(mission)s") % {"mission": self.mission}

    @property
    def is_editable(self) -> bool:
        """Lines change while the claim is a draft, or after a rejection, to correct it."""
        return self.status in (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


def receipt_upload_to(line: "ClaimLine", filename: str) -> str:
    # The original name may carry personal data or odd characters; only its extension is kept.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"missions/receipts/{line.claim.mission_id}/{line.claim_id}-{line.date:%Y%m%d}.{extension[:5]}"


class ClaimLine(ChoiceLabelsMixin, TimeStampedModel):
    """One expense of a claim, with its receipt."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="lines")
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = money_field(_("amount"), validators=[MinValueValidator(CENT)])
    currency = currency_field()
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("Only for an amount in another currency than the travel request's: what one unit was worth in it."),
    )
    receipt = models.FileField(
        _("receipt"),
        upload_to=receipt_upload_to,
        storage=get_private_storage,
        validators=[UploadValidator(kinds=RECEIPT_TYPES, max_megabytes=RECEIPT_MAX_MEGABYTES)],
        help_text=_("PDF, PNG or JPEG, at most 5 MB."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_line_amount_positive"),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0), name="claim_line_rate_positive"
            ),
            models.CheckConstraint(condition=Q(category__in=ExpenseCategory.values), name="claim_line_category"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_category_display()} {self.amount} {self.currency}"

    def amount_in(self, currency: str) -> Decimal:
        """The amount in ``currency`` (the request's), converted with the line's rate and rounded to the cent.

        The services refuse a foreign-currency line without a rate, and the request currency is fixed once a
        claim exists, so a missing rate here is a broken invariant, not a user error.
        """
        if self.currency == currency:
            return self.amount
        if self.exchange_rate is None:
            raise ValueError(f"claim line {self.pk} in {self.currency} has no exchange rate to {currency}")
        return (self.amount * self.exchange_rate).quantize(CENT, ROUND_HALF_UP)
