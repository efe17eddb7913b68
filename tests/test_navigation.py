"""The main navigation per role (issue 20): each role sees exactly its menus and links, every link opens for that
role, no staff page is offered to anyone else, the current section is marked, and the header draws it as
disclosures (a bar of groups, a phone "Menu", a compact account menu)."""

import re

import pytest
from django.urls import reverse

from bacuda_portal import navigation
from bacuda_portal.navigation import main_menu, role_of
from tests.factories import UserFactory
from tests.scholarships.factories import ReviewerFactory
from tests.workshops.factories import ExpertFactory, WorkshopFactory

STAFF_MENU = [
    (
        "Training",
        [
            ("Workshops", "workshops:list"),
            ("Experts", "experts:list"),
            ("Missions", "missions:list"),
            ("E-learning", "elearning:course_list"),
            ("Evaluation questions", "evaluations:question_list"),
        ],
    ),
    (
        "Scholarships",
        [
            ("Applications", "scholarships:staff_application_list"),
            ("Programmes", "scholarships:programme_manage"),
            ("Calls: set-up", "scholarships:call_manage"),
            ("Calls for applications", "scholarships:call_list"),
        ],
    ),
    (
        "Algorithms",
        [
            ("Algorithm catalogue", "algorithms:catalogue"),
            ("Model jobs", "algorithms:job_list"),
            ("HS-code suggestions", "algorithms:hs_suggest"),
            ("Datasets", "algorithms:dataset_list"),
        ],
    ),
    (
        "Results",
        [
            ("Results dashboard", "reports:dashboard"),
            ("Results framework", "reports:framework"),
            ("PDF reports", "reports:report_list"),
            ("News", "website:news_manage"),
        ],
    ),
    (
        "Mailings",
        [
            ("Mailings", "mailings:mailing_list"),
            ("Mailing templates", "mailings:template_list"),
        ],
    ),
    (
        "Administration",
        [
            ("Administrations", "members:administration_list"),
            ("Data protection", "privacy:register"),
            ("Audit log", "audit_log"),
            ("Notification templates", "notifications:template_list"),
            ("Delivery log", "notifications:log"),
            ("System health", "health"),
            ("Administration site", "admin:index"),
        ],
    ),
]
CONTACT_POINT_MENU = [
    ("My administration", [("My administration", "members:administration_detail KEN")]),
    ("Workshops", [("Workshops", "workshops:list")]),
    ("Endorsements", [("Endorsements", "scholarships:endorsement_list")]),
    (
        "Algorithms",
        [
            ("Model jobs", "algorithms:job_list"),
            ("Datasets", "algorithms:dataset_list"),
            ("HS-code suggestions", "algorithms:hs_suggest"),
        ],
    ),
    ("Results", [("Results", "reports:dashboard")]),
]
EXPERT_MENU = [
    ("My workshops", [("My workshops", "workshops:list")]),
    ("My missions", [("My missions", "missions:list")]),
    ("My expert profile", [("My expert profile", "experts:me")]),
]
REVIEWER_MENU = [("My reviews", [("My reviews", "scholarships:review_list")])]
APPLICANT_MENU = [("Scholarships", [("Scholarships", "scholarships:call_list")])]
PUBLIC_MENU = [
    (label, [(label, name)])
    for label, name in (
        ("News", "website:news"),
        ("Workshops", "website:events"),
        ("E-learning", "website:courses"),
        ("Scholarships", "scholarships:call_list"),
        ("Algorithms", "algorithms:catalogue"),
        ("About", "website:about"),
    )
]
STAFF_ONLY = [
    "experts:list",
    "elearning:course_list",
    "scholarships:staff_application_list",
    "reports:framework",
    "reports:report_list",
    "website:news_manage",
    "members:administration_list",
    "privacy:register",
    "audit_log",
    "notifications:template_list",
    "notifications:log",
    "health",
    "admin:index",
]
EXPECTED = {
    "project_manager": STAFF_MENU,
    "staff": STAFF_MENU,
    "contact_point": CONTACT_POINT_MENU,
    "expert": EXPERT_MENU,
    "reviewer": REVIEWER_MENU,
    "applicant": APPLICANT_MENU,
    "anonymous": PUBLIC_MENU,
}


def _url(name: str) -> str:
    name, _, code = name.partition(" ")
    return reverse(name, kwargs={"code": code}) if code else reverse(name)


def _shape(menu):
    return [(str(entry.label), [(str(link.label), link.url) for link in entry.links]) for entry in menu]


@pytest.fixture
def profiles(cast):
    """The expert and the reviewer with their registry profiles, as they are once staff have added them."""
    ExpertFactory(user=cast["expert"])
    ReviewerFactory(user=cast["reviewer"])
    return cast


def _user(cast, role):
    user = cast[role]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_menus_and_links(profiles, role):
    cast = profiles
    expected = [(label, [(text, _url(name)) for text, name in links]) for label, links in EXPECTED[role]]
    assert _shape(main_menu(_user(cast, role))) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_link_a_role_sees_opens_for_that_role(profiles, client_as, role):
    client = client_as(profiles[role])
    for entry in main_menu(_user(profiles, role)):
        for link in entry.links:
            status = client.get(link.url).status_code
            # The health page answers 503 while the test's broker and workers are absent: it opens all the same.
            assert status == 200 or (link.url == reverse("health") and status == 503), (role, link.url, status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["contact_point", "other_contact_point", "expert", "reviewer", "applicant", "anonymous"]
)
def test_no_staff_page_is_offered_to_anyone_but_staff(profiles, client_as, role):
    client = client_as(profiles[role])
    staff_only = {_url(name) for name in STAFF_ONLY}
    # They are staff pages indeed: the role cannot open them (404, or the admin's sign-in page).
    assert [url for url in staff_only if client.get(url).status_code == 200] == []
    urls = {link.url for entry in main_menu(_user(profiles, role)) for link in entry.links}
    assert not urls & staff_only
    # Nor does the page the role is shown link to any of them.
    page = client.get(reverse("website:about")).content.decode()
    assert [url for url in staff_only if f'href="{url}"' in page] == []


@pytest.mark.django_db
def test_accounts_without_their_registry_profile_are_offered_no_page_that_needs_it(expert, reviewer, client_as):
    # An expert account staff have not linked to a profile yet: no missions; its profile page says whom to ask.
    assert _shape(main_menu(expert)) == [
        ("My workshops", [("My workshops", reverse("workshops:list"))]),
        ("My expert profile", [("My expert profile", reverse("experts:me"))]),
    ]
    assert client_as(expert).get(reverse("missions:list")).status_code == 404
    assert "experts/no_profile.html" in [t.name for t in client_as(expert).get(reverse("experts:me")).templates]
    # A reviewer account with no active reviewer profile has no reviews to open.
    assert main_menu(reviewer) == []
    assert client_as(reviewer).get(reverse("scholarships:review_list")).status_code == 404


@pytest.mark.django_db
def test_the_other_contact_point_gets_their_own_administration(cast, senegal):
    menu = main_menu(cast["other_contact_point"])
    assert menu[0].link.url == senegal.get_absolute_url()


@pytest.mark.django_db
def test_roles_come_from_the_access_layers(cast, db):
    assert {role: role_of(_user(cast, role)) for role in cast} == {
        "anonymous": navigation.ANONYMOUS,
        "project_manager": navigation.STAFF,
        "staff": navigation.STAFF,
        "contact_point": navigation.CONTACT_POINT,
        "other_contact_point": navigation.CONTACT_POINT,
        "applicant": navigation.APPLICANT,
        "expert": navigation.EXPERT,
        "reviewer": navigation.REVIEWER,
    }
    # A profile counts as much as the role field: an applicant account with an expert profile, or a reviewer's.
    expert_applicant = ExpertFactory(user=UserFactory(role="applicant")).user
    assert role_of(expert_applicant) == navigation.EXPERT
    reviewer_applicant = ReviewerFactory(user__role="applicant").user
    assert role_of(reviewer_applicant) == navigation.REVIEWER


@pytest.mark.django_db
def test_home_and_menu_agree_on_the_role(cast, client_as):
    for role in ("staff", "contact_point", "expert", "reviewer", "applicant"):
        response = client_as(cast[role]).get(reverse("home"))
        assert response.context["role"] == role_of(cast[role])


@pytest.mark.django_db
def test_the_current_page_and_section_are_marked(staff):
    workshops = reverse("workshops:list")
    menu = main_menu(staff, workshops)
    current = [(entry.key, link.url, link.current) for entry in menu for link in entry.links if link.current]
    assert current == [("training", workshops, "page")]
    assert [entry.key for entry in menu if entry.current] == ["training"]
    # A page under a link belongs to it; the longest matching address wins (applications, not the calls page).
    detail = main_menu(staff, reverse("scholarships:application_detail", kwargs={"pk": 1}))
    assert [(link.url, link.current) for entry in detail for link in entry.links if link.current] == [
        (reverse("scholarships:staff_application_list"), "true")
    ]
    # A page the menu does not hold marks nothing.
    assert not [link for entry in main_menu(staff, reverse("inbox")) for link in entry.links if link.current]


@pytest.mark.django_db
def test_the_header_draws_groups_as_disclosures_with_the_current_page(client_as, staff):
    workshop = WorkshopFactory()
    page = client_as(staff).get(reverse("workshops:detail", kwargs={"pk": workshop.pk})).content.decode()
    nav = page[page.index('<nav class="main-nav"') : page.index("</nav>", page.index('<nav class="main-nav"'))]
    assert re.findall(r"<summary>([^<]+)</summary>", nav) == [
        "Training",
        "Scholarships",
        "Algorithms",
        "Results",
        "Mailings",
        "Administration",
        "Menu",
    ]
    assert nav.count('class="nav-disclosure nav-group is-current"') == 1
    # Drawn twice (bar and phone menu), the workshops link is marked in both, and nothing else is.
    assert nav.count(f'href="{reverse("workshops:list")}" aria-current="true"') == 2
    assert nav.count("aria-current") == 2
    # The account menu: my data, my account, sign out; the inbox beside it.
    tools = page[page.index('<div class="header-tools">') :]
    account = tools[tools.index('class="nav-disclosure account-menu"') : tools.index("</details>")]
    assert reverse("privacy:my_data") in account and reverse("account_email") in account and "Sign out" in account
    assert f'href="{reverse("inbox")}"' in tools[: tools.index("account-menu")]


@pytest.mark.django_db
def test_the_menu_costs_staff_no_query_and_a_contact_point_one(staff, contact_point, django_assert_num_queries):
    with django_assert_num_queries(0):
        main_menu(staff, "/en/")
    with django_assert_num_queries(1):
        main_menu(contact_point, "/en/")


@pytest.mark.django_db
def test_a_page_not_found_marks_no_section(client_as, contact_point, kenya):
    # Under the contact point's own administration page, a page they may not open and a missing one read alike.
    client = client_as(contact_point)
    denied = client.post(reverse("members:invitation_create", kwargs={"code": kenya.code}))
    missing = client.post(reverse("members:invitation_create", kwargs={"code": "ZZQ"}))
    assert denied.status_code == missing.status_code == 404
    assert "aria-current" not in denied.content.decode().split("</header>")[0].split('class="language-switcher"')[0]
    # The same page's section is marked when it exists.
    found = client.get(kenya.get_absolute_url()).content.decode()
    assert f'href="{kenya.get_absolute_url()}" class="nav-top-link" aria-current="page"' in found
