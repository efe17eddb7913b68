"""Pages of image analysis (issue 15): classify one picture with a trained model, with a heat map."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import access, selectors
from .engines.base import EngineError
from .enums import AlgorithmKind
from .forms import ImageClassifyForm


def default_image_version(user, versions):
    """The model the page offers first: the user's administration's champion, else the newest they may use."""
    champion = selectors.champion_version(
        algorithm_kind=AlgorithmKind.IMAGE, administration=access.administration_of(user)
    )
    if champion is not None and versions.filter(pk=champion.pk).exists():
        return champion
    return versions.order_by("-pk").first()


@login_required
def image_classify(request):
    from .image_classify import classify

    access.require_model_user(request.user)
    versions = access.image_versions_usable_by(request.user)
    initial = {"version": default_image_version(request.user, versions)}
    form = ImageClassifyForm(request.POST or None, request.FILES or None, versions=versions, initial=initial)
    answer, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                answer = classify(version=form.cleaned_data["version"], uploaded=form.cleaned_data["picture"])
            except ValidationError as error:
                form.add_error("picture", error.messages)
            except EngineError as error:
                form.add_error(None, _("The model could not classify the picture: %(error)s") % {"error": error})
            else:
                status = 200
    return render(
        request,
        "algorithms/image_classify.html",
        {"form": form, "answer": answer, "has_models": versions.exists()},
        status=status,
    )
