"""Ranked text search over a queryset: PostgreSQL's full-text search, or a simpler fallback elsewhere (SQLite).

Every word of the query must occur in one of the fields (as a word prefix on PostgreSQL: "wanj" finds "Wanjiru";
as a substring elsewhere). On PostgreSQL rows are ranked by ``ts_rank`` with the first field (the title) weighted
highest; elsewhere by how many words the title holds, and an exact title first. Both ignore case; neither folds
accents (PostgreSQL's ``unaccent`` extension is not assumed).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One result: what it is, its title, a line of context, where it is."""

    kind: str
    title: str
    detail: str
    url: str


def query_words(query: str) -> list[str]:
    """The words searched for: letters and digits only (no operator of either backend reaches the database)."""
    words = [word.casefold() for word in _WORD.findall(query or "") if len(word) >= MIN_WORD_LENGTH]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def ranked(queryset: QuerySet, fields: list[str], words: list[str]) -> QuerySet:
    """``queryset`` filtered to rows holding every word in one of ``fields`` (the first is the title), best first."""
    if not words:
        return queryset.none()
    if is_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        weights = ["A", "B", "C", "D"]
        vector = None  # weighted vectors joined with || (a vector of vectors would lose the weights)
        for position, name in enumerate(fields):
            part = SearchVector(name, weight=weights[min(position, 3)], config="simple")
            vector = part if vector is None else vector + part
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(F("search_vector"), query))
            .order_by("-search_rank", "pk")
        )
    condition = Q()
    for word in words:
        condition &= Q(*[Q(**{f"{name}__icontains": word}) for name in fields], _connector=Q.OR)
    title = fields[0]
    in_title = sum(
        (Case(When(**{f"{title}__icontains": word}, then=Value(1)), default=Value(0), output_field=IntegerField())
         for word in words),
        Value(0),
    )  # fmt: skip
    exact_title = Case(
        When(**{"search_title": " ".join(words)}, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        queryset.filter(condition)
        .annotate(search_title=Lower(title))
        .annotate(search_rank=in_title * 2 + exact_title)
        .order_by("-search_rank", "pk")
    )
