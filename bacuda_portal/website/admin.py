"""Staff write news posts and read contact messages in the Django admin."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin

from . import services
from .models import ContactMessage, NewsPost


@admin.register(NewsPost)
class NewsPostAdmin(PortalModelAdmin):
    list_display = ["slug", "title_en", "title_fr", "publish_at", "author", "updated_at"]
    list_filter = ["publish_at"]
    search_fields = ["slug", "title_en", "title_fr", "summary_en", "summary_fr"]
    list_select_related = ["author"]
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = ["thumbnail", "author", "created_at", "updated_at"]
    date_hierarchy = "publish_at"
    fieldsets = [
        (None, {"fields": ["slug", "publish_at"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "body_en", "image_alt_en"]}),
        (_("French"), {"fields": ["title_fr", "summary_fr", "body_fr", "image_alt_fr"]}),
        (_("Picture"), {"fields": ["image", "thumbnail"]}),
        (_("History"), {"fields": ["author", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The service resizes a new picture, makes its thumbnail and writes the audit record.
        try:
            services.news_post_save(post=obj, by=request.user, image_changed="image" in form.changed_data)
        except ValueError:
            messages.error(request, _("The picture could not be read or is too large."))
            raise


@admin.register(ContactMessage)
class ContactMessageAdmin(PortalModelAdmin):
    list_display = ["created_at", "subject", "name", "email", "organisation", "language", "handled"]
    list_filter = ["handled", "language", "created_at"]
    search_fields = ["subject", "name", "email", "organisation", "message"]
    readonly_fields = ["created_at", "name", "email", "organisation", "subject", "message", "language"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False
