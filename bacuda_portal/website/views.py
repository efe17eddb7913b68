from django.shortcuts import render

from bacuda_portal.members.models import Administration, Region


def home(request):
    """The public landing page; the full website (news, calendar, catalogues) grows here."""
    context = {
        "member_count": Administration.objects.members().count(),
        "region_count": Region.objects.count(),
    }
    return render(request, "website/home.html", context)
