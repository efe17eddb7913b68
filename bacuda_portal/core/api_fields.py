"""Serializer fields every app's API may use.

Every writable reference to a row is a ``Scoped...RelatedField``: the row is looked up among those the requesting
user may see (a callable of the app's access layer), so a row they may not see answers exactly like one that does
not exist, in status and message (no existence oracle). Every writable JSON value is a ``BoundedJSONField``.
"""

import copy
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import get_language
from rest_framework import serializers

from . import safe_json

# (serializer class, language) -> its fields, unbound; see FieldsBuiltOnceMixin.
_built_fields: dict[tuple, dict] = {}


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """A writable slug reference (an administration's code...) that refuses a NUL character as "does not exist".

    The slug is looked up in the database before validators run; PostgreSQL rejects a NUL byte in a text
    parameter with an error, which must not become a server error.
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class ScopedRelatedFieldMixin:
    """Looks the reference up in ``visible(user)``, the rows the request's user may see (``AnonymousUser`` without a
    request). ``model`` names the table for the OpenAPI schema; its ``queryset`` is empty, so nothing can reach
    rows through it unscoped."""

    def __init__(self, *, model: type[Model], visible: Callable[..., QuerySet], **kwargs):
        self.visible = visible
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.visible(getattr(request, "user", None) or AnonymousUser())


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, SafeSlugRelatedField):
    pass


class BoundedJSONField(serializers.JSONField):
    """A JSON value the database and the workers can take: nested at most ``BACUDA_JSON_MAX_DEPTH`` levels, at most
    ``max_bytes`` once encoded, no NUL character; given as a JSON string in a form field, it is decoded by
    ``core.safe_json`` (DRF's own decoding recurses, and a deep string crashed it)."""

    def __init__(self, *, max_bytes: int = safe_json.FIELD_MAX_BYTES, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            if self.binary or getattr(data, "is_json_string", False):
                if isinstance(data, bytes):
                    data = safe_json.decode_utf8(data)
                data = safe_json.loads(data)
            safe_json.check_value(data, max_bytes=self.max_bytes)
        except safe_json.UnsafeJSON as error:
            raise serializers.ValidationError(str(error)) from None
        return data


# Builds a serializer's fields once per class and language, and gives each instance a copy. DRF builds a model
# serializer's fields for every instance from the model's metadata (about 1 ms for a dozen fields with their unique
# validators, on every API request); a copy costs a fifth of that. The fields depend on the class and, for their
# labels, on the language, never on the request or the instance. (No docstring: the OpenAPI schema would show it
# as the description of every serializer.)
class FieldsBuiltOnceMixin:
    def get_fields(self):
        key = (type(self), get_language())
        fields = _built_fields.get(key)
        if fields is None:
            fields = _built_fields[key] = super().get_fields()
        return copy.deepcopy(fields)
