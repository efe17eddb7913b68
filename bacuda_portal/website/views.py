"""The public website: thin views over the selectors, cached for anonymous visitors (see ``caching.py``)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bacuda_portal.core import privacy
from bacuda_portal.core.client_ip import client_ip
from bacuda_portal.core.pages import query_without_page
from bacuda_portal.core.rate_limit import over_limit

from . import access, selectors, services
from .caching import cached_value, public_page
from .forms import ContactForm, new_form_token

NEWS_PER_PAGE = 10
EVENTS_PER_PAGE = 20


@public_page
def home(request):
    """What BACUDA is, key figures from the portal's data, the next public workshops and the latest news."""
    context = {
        "figures": cached_value("key-figures", selectors.key_figures),
        "upcoming": list(selectors.upcoming_public_workshops()[:4]),
        "news": list(selectors.published_news()[:3]),
        "open_calls": selectors.open_scholarship_calls().count(),
    }
    return render(request, "website/home.html", context)


@public_page
def about(request):
    return render(request, "website/about.html")


@public_page
def privacy_notice(request):
    """The privacy notice, written from the data-protection register: its periods are the settings in force."""
    categories = [(category, category.retention()) for category in privacy.categories_for_display()]
    return render(
        request,
        "website/privacy.html",
        {"categories": categories, "contact_email": settings.BACUDA_PRIVACY_CONTACT_EMAIL},
    )


@public_page
def news_list(request):
    page = Paginator(selectors.published_news(), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query_without_page(request), "can_edit_news": access.can_edit_news(request.user)}
    return render(request, "website/news_list.html", context)


@public_page
def news_detail(request, slug):
    post = selectors.get_published_post(slug)
    if post is None:
        raise Http404
    return render(request, "website/news_detail.html", {"post": post})


@public_page
def events(request):
    """Public workshops: the coming ones (paged), the last delivered ones, and the iCalendar feed."""
    page = Paginator(selectors.upcoming_public_workshops(), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query_without_page(request),
        "past": list(selectors.past_public_workshops()[:10]),
    }
    return render(request, "website/events.html", context)


@public_page
def event_detail(request, pk):
    workshop = selectors.get_public_workshop(pk)
    if workshop is None:
        raise Http404
    return render(request, "website/event_detail.html", {"workshop": workshop})


@public_page
def courses(request):
    """The e-learning catalogue: courses published on CLiKC!."""
    return render(request, "website/courses.html", {"courses": list(selectors.published_courses())})


def _rate_limited(request) -> bool:
    """At most BACUDA_CONTACT_RATE_LIMIT messages per IP address per BACUDA_CONTACT_RATE_WINDOW seconds."""
    return over_limit(
        f"website:contact:{client_ip(request)}",
        limit=settings.BACUDA_CONTACT_RATE_LIMIT,
        window=settings.BACUDA_CONTACT_RATE_WINDOW,
    )


def contact(request):
    """The contact form: the message is stored and emailed to staff (spam protection in ``forms.py``)."""
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_honeypot_filled:
            # A bot: it is told "thank you", and nothing is stored or sent.
            return redirect("website:contact_thanks")
        if _rate_limited(request):
            form.is_valid()
            form.add_error(None, _("Too many messages were sent from your network. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            services.contact_message_send(
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                subject=data["subject"],
                message=data["message"],
                language=get_language(),
            )
            return redirect("website:contact_thanks")
        else:
            status = 400
            if form.has_error("form_token", code="expired"):
                # The visitor's text is shown again as it was, with a token they can send.
                data = request.POST.copy()
                data["form_token"] = new_form_token()
                form.data = data
    else:
        form = ContactForm()
    return render(request, "website/contact.html", {"form": form}, status=status)


@public_page
def contact_thanks(request):
    return render(request, "website/contact_thanks.html")


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /en/accounts/",
        "Disallow: /fr/accounts/",
        "Disallow: /en/staff/",
        "Disallow: /fr/staff/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
