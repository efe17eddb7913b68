"""sitemap.xml: the public pages in both languages, published news posts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors

STATIC_PAGES = ["website:home", "website:about", "website:news", "website:events", "website:courses", "website:contact"]


class _BothLanguages(Sitemap):
    """Every page in English and French, with hreflang alternates, on the site of BACUDA_SITE_URL."""

    i18n = True
    alternates = True
    x_default = True
    protocol = urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticPagesSitemap(_BothLanguages):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


class NewsSitemap(_BothLanguages):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return selectors.published_news()

    def lastmod(self, post):
        return post.updated_at


class EventsSitemap(_BothLanguages):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return selectors.public_workshops().order_by("-start_date", "pk")

    def location(self, workshop):
        return reverse("website:event_detail", kwargs={"pk": workshop.pk})

    def lastmod(self, workshop):
        return workshop.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "news": NewsSitemap, "events": EventsSitemap}
