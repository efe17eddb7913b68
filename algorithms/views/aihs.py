"""The AI-HS interactive suggestion page (the other AI-HS pages are in ``hs_views``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import access, hs, hs_views
from ..forms import HsSuggestForm


# --- AI-HS interactive ------------------------------------------------------------------------------------------
@login_required
def hs_suggest(request):
    access.require_model_user(request.user)
    staff = access.is_staff(request.user)
    form = HsSuggestForm(request.GET or None)
    if not staff:
        del form.fields["administration"]
    answer = feedback = None
    if form.is_bound and form.is_valid():
        administration = form.cleaned_data.get("administration") if staff else access.administration_of(request.user)
        answer = hs.suggest(administration=administration, description=form.cleaned_data["description"])
        feedback = hs_views.feedback_for(request, answer, administration)
    return render(request, "algorithms/hs_suggest.html", {"form": form, "answer": answer, "feedback": feedback})
