"""Every route of the project served by a DRF view, found by walking the URL resolver (so a new endpoint is covered
as soon as it is routed), and concrete paths for them that name real rows where the view has any."""

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request
from rest_framework.views import APIView

# A router's named group, or a path() converter such as <drf_format_suffix:format>.
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # as the resolver holds it: a mix of path() routes and router regexes
    view: type[APIView]
    actions: dict | None  # a viewset route's {method: action}; None for a plain APIView

    @property
    def _names(self) -> list[str]:
        return [group or converter for group, converter in _GROUP.findall(self.pattern)]

    @property
    def has_format_suffix(self) -> bool:
        return "format" in self._names

    @property
    def parameters(self) -> list[str]:
        return [name for name in self._names if name != "format"]

    def path(self, values: dict) -> str:
        """The route with its parameters filled in (a format suffix as .json)."""

        def fill(match) -> str:
            name = match.group(1) or match.group(2)
            if name == "format":
                return "json" if match.group(1) else ".json"  # the router's group follows a "\\." already
            return str(values[name])

        filled = _GROUP.sub(fill, self.pattern)
        return "/" + filled.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")


def api_routes() -> list[Route]:
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                if isinstance(view, type) and issubclass(view, APIView):
                    found.append(Route(prefix + str(pattern.pattern), view, getattr(pattern.callback, "actions", None)))

    walk(get_resolver().url_patterns)
    return found


def view_for(route: Route, user, method: str = "get") -> APIView:
    """The route's view as it would be set up for ``user``'s request with ``method`` (before the body is read)."""
    http = HttpRequest()
    http.method, http.user = method.upper(), user
    view = route.view()
    view.request, view.kwargs, view.format_kwarg = Request(http), {}, None
    view.action = (route.actions or {}).get(method)
    view.request.user = user
    return view


def existing_key(route: Route, user) -> dict:
    """Path values naming a row the route's view shows ``user`` (its first), or 1 where it shows none."""
    values = dict.fromkeys(route.parameters, 1)
    if not route.parameters or not hasattr(route.view, "get_queryset"):
        return values
    view = view_for(route, user)
    view.action = view.action or "retrieve"
    try:
        row = view.get_queryset().first()
    except AssertionError:  # a view without a queryset (a plain ViewSet)
        return values
    if row is not None:
        lookup = getattr(view, "lookup_field", "pk")
        values[view.lookup_url_kwarg or lookup] = getattr(row, lookup)
    return values


def write_operations() -> list[tuple[str, str, APIView, object]]:
    """(method, path, view, request serializer or None) for every POST, PUT and PATCH of the OpenAPI schema, as
    drf-spectacular sees them (the serializer named by ``extend_schema(request=...)`` where there is one)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.plumbing import modify_for_versioning
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator(urlconf="bacuda_portal.api_urls", api_version="v1")
    generator._initialise_endpoints()
    operations = []
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        path = modify_for_versioning(generator.inspector.patterns, method, path, view, "v1")
        view.schema.method, view.schema.path = method, path
        operations.append((method, path, view, view.schema.get_request_serializer()))
    return operations
