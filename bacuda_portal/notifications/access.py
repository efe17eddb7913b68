"""Who may see and change what in notifications: staff only (the templates, the log, their own preference)."""

from bacuda_portal.members import access as member_access


def can_manage(user) -> bool:
    """The templates and the delivery log (which holds personal data): WCO staff."""
    return member_access.is_wco_staff(user)


def can_choose_delivery(user) -> bool:
    """Immediate or daily digest: only staff receive the staff notifications it applies to."""
    return member_access.is_wco_staff(user)
