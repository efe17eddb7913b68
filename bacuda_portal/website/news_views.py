"""Staff pages that write the news: list (search, status, paging, CSV/Excel), create, change, preview, delete.
Thin: they ask ``access``, call ``services.news_post_save`` or ``news_post_delete`` and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import add_service_errors, query_without_page

from . import access, selectors, services
from .forms import NEWS_STATES, NewsFilterForm, NewsPostForm

PAGE_SIZE = 50
LIST_URL = "website:news_manage"


def _state(post) -> str:
    return str(NEWS_STATES[post.publication_state])


@login_required
def news_manage(request):
    access.require_news_editor(request.user)
    form = NewsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    posts = selectors.news_posts_for_editing(search=filters.get("q", ""), state=filters.get("state", ""))
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="news",
            header=[
                _("Address"),
                _("Title (English)"),
                _("Title (French)"),
                _("Status"),
                _("Publication date"),
                _("Author"),
                _("Last changed"),
            ],
            rows=(
                (
                    post.slug,
                    post.title_en,
                    post.title_fr,
                    _state(post),
                    post.publish_at,
                    post.author.get_full_name() if post.author else "",
                    post.updated_at,
                )
                for post in posts.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="website.news.exported",
        )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    for post in page:
        post.state_label = _state(post)
    return render(
        request,
        "website/news_manage.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def news_edit(request, pk: int | None = None):
    access.require_news_editor(request.user)
    post = access.get_news_post_for_editing(request.user, pk) if pk else None
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.news_post_save(
                post=form.save(commit=False), by=request.user, image_changed="image" in form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ValueError:
            form.add_error("image", _("The picture could not be read or is too large."))
        else:
            messages.success(request, _("The news post is saved."))
            return redirect("website:news_edit", pk=saved.pk)
    title = _("News post: %(title)s") % {"title": post} if post else _("New news post")
    return render(
        request,
        "website/news_form.html",
        {"form": form, "post": post, "title": title, "back_url": reverse(LIST_URL)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def news_preview(request, pk: int):
    """The post as readers will see it, a draft or a scheduled one included (staff only, never cached)."""
    post = access.get_news_post_for_editing(request.user, pk)
    return render(request, "website/news_detail.html", {"post": post, "preview": True})


@login_required
@require_POST
def news_delete(request, pk: int):
    post = access.get_news_post_for_editing(request.user, pk)
    services.news_post_delete(post=post, by=request.user)
    messages.success(request, _("The news post is deleted."))
    return redirect(LIST_URL)
