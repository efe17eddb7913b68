"""Serializer fields every app's API may use."""

import copy

from django.utils.translation import get_language
from rest_framework import serializers

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
