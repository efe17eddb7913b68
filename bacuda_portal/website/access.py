"""Who may edit the public website's content: WCO staff write and publish news; everybody else gets 404."""

from django.http import Http404

from bacuda_portal.members.access import is_wco_staff

from .models import NewsPost


def can_edit_news(user) -> bool:
    return is_wco_staff(user)


def require_news_editor(user) -> None:
    if not can_edit_news(user):
        raise Http404


def get_news_post_for_editing(user, pk: int) -> NewsPost:
    """Any post, draft or published, for staff; 404 for anyone else and for a post that does not exist."""
    require_news_editor(user)
    post = NewsPost.objects.filter(pk=pk).first()
    if post is None:
        raise Http404
    return post
