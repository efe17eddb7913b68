"""Workshops and participants for the global search."""

from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked


# --- Search (the portal's search box) --------------------------------------------------------------------
def search_workshops(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("region"), ["title", "host_city", "description", "mission_reference"], words)
    return [
        SearchHit(
            kind=gettext("Workshop"),
            title=workshop.localized_title,
            detail=" · ".join(filter(None, [workshop.host_city, f"{workshop.start_date:%Y-%m-%d}"])),
            url=workshop.get_absolute_url(),
        )
        for workshop in rows[:limit]
    ]


def search_participants(visible_nominations, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible_nominations.select_related("workshop"), ["full_name", "email", "position"], words)
    return [
        SearchHit(
            kind=gettext("Participant"),
            title=nomination.full_name,
            detail=nomination.workshop.localized_title,
            url=nomination.workshop.get_absolute_url() + "#participants",
        )
        for nomination in rows[:limit]
    ]
