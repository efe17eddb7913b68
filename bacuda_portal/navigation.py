"""The portal's main navigation, per role: the one place that says which menus and links a user sees.

``role_of`` sorts a user into the role their home and their menu are drawn for, from the access layers' own
checks (members, experts, scholarships); ``main_menu`` returns that role's menu: a list of entries, each a single
link or a group of links (a disclosure in the header), with the entry that holds the current page marked.
``templates/includes/main_menu.html`` draws it twice from the same list, as a bar of drop-down groups on wide
screens and as one "Menu" disclosure with the groups stacked on phones; ``main_menu_context`` is the context
processor that hands it to every template (built only when a template reads it).

Every link is a named URL of the portal's own pages; a role sees only the pages its access layer lets it open.
This module sits in the project package because it asks several apps, like ``bacuda_portal.inbox``.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bacuda_portal.members import access as member_access
from bacuda_portal.members.enums import Role
from scholarships import access as scholarship_access
from workshops.experts import access as expert_access
from workshops.missions import access as mission_access

STAFF = "staff"
CONTACT_POINT = "contact_point"
EXPERT = "expert"
REVIEWER = "reviewer"
APPLICANT = "applicant"
OTHER = "other"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    current: str = ""  # "page" (this very page), "true" (a page under it) or "" (elsewhere): aria-current


@dataclass(frozen=True)
class MenuEntry:
    """One item of the top level: a group of links (``label`` names the disclosure) or a single link."""

    key: str
    label: str
    links: tuple[MenuLink, ...] = field(default_factory=tuple)

    @property
    def is_group(self) -> bool:
        return len(self.links) > 1

    @property
    def link(self) -> MenuLink:
        return self.links[0]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def role_of(user) -> str:
    """The role a user's home and menu are drawn for; the first that applies, in this order."""
    if not (user and user.is_authenticated):
        return ANONYMOUS
    if member_access.is_wco_staff(user):
        return STAFF
    if member_access.administration_of(user) is not None:
        return CONTACT_POINT
    if expert_access.expert_of(user) is not None or user.role == Role.EXPERT:
        return EXPERT
    if scholarship_access.is_reviewer(user) or user.role == Role.REVIEWER:
        return REVIEWER
    if scholarship_access.can_apply(user):
        return APPLICANT
    return OTHER


# Per entry: its key, its label and its links, (label, URL name) or (label, URL name, the access layer's check
# the user must pass to be offered it); an entry of one link is drawn as a plain link, an entry of none is left out.
_STAFF = (
    (
        "training",
        pgettext_lazy("menu group: the training courses", "Training"),
        (
            (_("Workshops"), "workshops:list"),
            (_("Experts"), "experts:list"),
            (_("Missions"), "missions:list"),
            (_("E-learning"), "elearning:course_list"),
            (_("Evaluation questions"), "evaluations:question_list"),
        ),
    ),
    (
        "scholarships",
        _("Scholarships"),
        (
            (_("Applications"), "scholarships:staff_application_list"),
            (_("Programmes"), "scholarships:programme_manage"),
            (_("Calls: set-up"), "scholarships:call_manage"),
            (_("Calls for applications"), "scholarships:call_list"),
        ),
    ),
    (
        "algorithms",
        _("Algorithms"),
        (
            (_("Algorithm catalogue"), "algorithms:catalogue"),
            (_("Model jobs"), "algorithms:job_list"),
            (_("HS-code suggestions"), "algorithms:hs_suggest"),
            (_("Datasets"), "algorithms:dataset_list"),
        ),
    ),
    (
        "results",
        _("Results"),
        (
            (_("Results dashboard"), "reports:dashboard"),
            (_("Results framework"), "reports:framework"),
            (_("PDF reports"), "reports:report_list"),
            (_("News"), "website:news_manage"),
        ),
    ),
    (
        "mailings",
        _("Mailings"),
        (
            (_("Mailings"), "mailings:mailing_list"),
            (_("Mailing templates"), "mailings:template_list"),
        ),
    ),
    (
        "administration",
        _("Administration"),
        (
            (_("Administrations"), "members:administration_list"),
            (_("Data protection"), "privacy:register"),
            (_("Audit log"), "audit_log"),
            (_("Notification templates"), "notifications:template_list"),
            (_("Delivery log"), "notifications:log"),
            (_("System health"), "health"),
            (_("Administration site"), "admin:index"),
        ),
    ),
)
_CONTACT_POINT = (
    ("workshops", _("Workshops"), ((_("Workshops"), "workshops:list"),)),
    ("scholarships", _("Endorsements"), ((_("Endorsements"), "scholarships:endorsement_list"),)),
    (
        "algorithms",
        _("Algorithms"),
        (
            (_("Model jobs"), "algorithms:job_list"),
            (_("Datasets"), "algorithms:dataset_list"),
            (_("HS-code suggestions"), "algorithms:hs_suggest"),
        ),
    ),
    ("results", _("Results"), ((_("Results"), "reports:dashboard"),)),
)
_EXPERT = (
    ("workshops", _("My workshops"), ((_("My workshops"), "workshops:list"),)),
    # Missions are listed for experts with a registry profile only (an expert account without one has none).
    ("missions", _("My missions"), ((_("My missions"), "missions:list", mission_access.can_see_missions_page),)),
    ("profile", _("My expert profile"), ((_("My expert profile"), "experts:me"),)),
)
_REVIEWER = (
    ("reviews", _("My reviews"), ((_("My reviews"), "scholarships:review_list", scholarship_access.is_reviewer),)),
)
_APPLICANT = (("scholarships", _("Scholarships"), ((_("Scholarships"), "scholarships:call_list"),)),)
_PUBLIC = (
    ("news", _("News"), ((_("News"), "website:news"),)),
    ("workshops", _("Workshops"), ((_("Workshops"), "website:events"),)),
    ("elearning", _("E-learning"), ((_("E-learning"), "website:courses"),)),
    ("scholarships", _("Scholarships"), ((_("Scholarships"), "scholarships:call_list"),)),
    ("algorithms", _("Algorithms"), ((_("Algorithms"), "algorithms:catalogue"),)),
    ("about", _("About"), ((_("About"), "website:about"),)),
)
MENUS = {
    STAFF: _STAFF,
    CONTACT_POINT: _CONTACT_POINT,
    EXPERT: _EXPERT,
    REVIEWER: _REVIEWER,
    APPLICANT: _APPLICANT,
    OTHER: (),
    ANONYMOUS: _PUBLIC,
}


def _current_url(urls: list[str], path: str) -> str | None:
    """The link the page at ``path`` belongs to: the longest link address that is the path or a folder of it."""
    matches = [url for url in urls if path == url or (url.endswith("/") and path.startswith(url))]
    return max(matches, key=len, default=None)


def main_menu(user, path: str = "") -> list[MenuEntry]:
    """The menu ``user`` sees, its entries in order; the link ``path`` belongs to carries its aria-current."""
    role = role_of(user)
    raw = []
    for key, label, links in MENUS[role]:
        offered = [(link[0], reverse(link[1])) for link in links if len(link) == 2 or link[2](user)]
        if offered:
            raw.append((key, label, offered))
    if role == CONTACT_POINT:
        own = member_access.administration_of(user).get_absolute_url()
        raw.insert(0, ("administration", _("My administration"), [(_("My administration"), own)]))
    current = _current_url([url for _key, _label, links in raw for _link_label, url in links], path)

    def state(url: str) -> str:
        if url != current:
            return ""
        return "page" if url == path else "true"

    return [
        MenuEntry(key=key, label=label, links=tuple(MenuLink(link_label, url, state(url)) for link_label, url in links))
        for key, label, links in raw
    ]


def main_menu_context(request) -> dict:
    """Context processor: ``main_menu`` for the request's user and page, built when a template first reads it;
    ``main_menu_unmarked``, the same without a current section, for the "not found" page (which must read the same
    whether the address names a page of the user's section or nothing at all: no existence oracle)."""
    user = getattr(request, "user", None)
    return {
        "main_menu": SimpleLazyObject(lambda: main_menu(user, request.path)),
        "main_menu_unmarked": SimpleLazyObject(lambda: main_menu(user)),
    }
