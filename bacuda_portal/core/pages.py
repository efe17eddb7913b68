"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def query_without_page(request) -> str:
    """The list page's query string without ``page`` and ``format``, for paging and export links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()
