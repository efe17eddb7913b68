"""The public website's rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

Every page of the website is public: each role gets it (the news post is published, the workshop public). The
pages that write the news are staff only (tests/website/test_news_pages.py)."""

from tests.access_roles import PUBLIC, STAFF_ONLY
from tests.website.factories import NewsPostFactory

ROWS = {
    "website:home": ("get", None, PUBLIC),
    "website:about": ("get", None, PUBLIC),
    "website:news": ("get", None, PUBLIC),
    "website:news_detail": ("get", lambda w: {"slug": w["news_post"].slug}, PUBLIC),
    "website:events": ("get", None, PUBLIC),
    "website:event_detail": ("get", lambda w: {"pk": w["workshop"].pk}, PUBLIC),
    "website:courses": ("get", None, PUBLIC),
    "website:contact": ("get", None, PUBLIC),
    "website:contact_thanks": ("get", None, PUBLIC),
    "website:news_manage": ("get", None, STAFF_ONLY),
    "website:news_create": ("get", None, STAFF_ONLY),
    "website:news_edit": ("get", lambda w: {"pk": w["news_post"].pk}, STAFF_ONLY),
    "website:news_preview": ("get", lambda w: {"pk": w["news_post"].pk}, STAFF_ONLY),
    "website:news_delete": ("post", lambda w: {"pk": w["spare_news_post"].pk}, STAFF_ONLY),
    "sitemap": ("get", None, PUBLIC),
    "robots_txt": ("get", None, PUBLIC),
    # The news API: published posts for everyone; writes by staff (tests/website/test_news_api.py)
    "v1:news-post-list": ("get", None, PUBLIC),
    "v1:news-post-detail": ("get", lambda w: {"pk": w["news_post"].pk}, PUBLIC),
    "v1:news-post-publish": ("post", lambda w: {"pk": w["news_post"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:news-post-picture": ("put", lambda w: {"pk": w["news_post"].pk}, ("401", "ok", "404", "404", "404", "404")),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    return {"news_post": NewsPostFactory(), "spare_news_post": NewsPostFactory(publish_at=None)}
