"""Serializer fields every app's API may use."""

from rest_framework import serializers


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """A writable slug reference (an administration's code...) that refuses a NUL character as "does not exist".

    The slug is looked up in the database before validators run; PostgreSQL rejects a NUL byte in a text
    parameter with an error, which must not become a server error.
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)
