"""The portal's search box: one query across workshops, participants, experts, applications, administrations,
courses, model cards and news, each app answering for what the user may see (its ``access``) with its ranked
search (its ``selectors``). It sits in the project package because it asks every app."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from algorithms import access as algorithm_access
from algorithms import selectors as algorithm_selectors
from bacuda_portal.core.search import query_words
from bacuda_portal.members import access as member_access
from bacuda_portal.members import selectors as member_selectors
from bacuda_portal.website import selectors as website_selectors
from scholarships import access as scholarship_access
from scholarships import selectors as scholarship_selectors
from workshops import access as workshop_access
from workshops import selectors as workshop_selectors
from workshops.elearning import access as elearning_access
from workshops.elearning import selectors as elearning_selectors
from workshops.experts import access as expert_access
from workshops.experts import selectors as expert_selectors

HITS_PER_KIND = 10


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the portal"), max_length=200, required=False)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    search: Any  # (user, words, limit) -> list[SearchHit]


SOURCES = (
    Source(
        "workshops",
        _("Workshops"),
        lambda user, words, limit: workshop_selectors.search_workshops(
            workshop_access.workshops_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "participants",
        _("Participants"),
        lambda user, words, limit: workshop_selectors.search_participants(
            workshop_access.nominations_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "experts",
        _("Experts"),
        lambda user, words, limit: expert_selectors.search_experts(
            expert_access.experts_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "applications",
        _("Scholarship applications"),
        lambda user, words, limit: scholarship_selectors.search_applications(
            scholarship_access.applications_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "administrations",
        _("Administrations"),
        lambda user, words, limit: member_selectors.search_administrations(
            member_access.administrations_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "courses",
        _("Courses"),
        lambda user, words, limit: elearning_selectors.search_courses(
            elearning_access.courses_visible_to(user), words, limit=limit
        ),
    ),
    Source(
        "cards",
        _("Model cards"),
        lambda user, words, limit: algorithm_selectors.search_cards(
            algorithm_access.algorithms_visible_to(user), words, limit=limit
        ),
    ),
    Source("news", _("News"), lambda user, words, limit: website_selectors.search_news(words, limit=limit)),
)


@login_required
def search(request):
    """Results grouped by kind, best first in each; a query of no usable word asks for one."""
    form = SearchForm(request.GET or None)
    words = query_words(form.cleaned_data["q"]) if form.is_valid() else []
    groups = []
    if words:
        for source in SOURCES:
            hits = source.search(request.user, words, HITS_PER_KIND)
            if hits:
                groups.append({"key": source.key, "label": source.label, "hits": hits})
    context = {
        "form": form,
        "words": words,
        "groups": groups,
        "searched": bool(request.GET.get("q", "").strip()),
        "limit": HITS_PER_KIND,
    }
    return render(request, "search.html", context)
