"""Applications for the global search."""

from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked


# --- Search ----------------------------------------------------------------------------------------------
def search_applications(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("call"), ["full_name", "applicant__email", "position"], words)
    return [
        SearchHit(
            kind=gettext("Scholarship application"),
            title=application.full_name or gettext("Application %(number)d") % {"number": application.pk},
            detail=str(application.call),
            url=application.get_absolute_url(),
        )
        for application in rows[:limit]
    ]
