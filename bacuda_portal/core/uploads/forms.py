"""Form fields for uploads: the portal's check runs before Django's own picture check.

Django's ``forms.ImageField`` opens an upload with Pillow and answers any failure (a decompression bomb, a truncated
picture, an SVG) with one generic message, before the model field's validators run. ``CheckedImageField`` runs the
model field's validators (the portal's ``UploadValidator``) first, so the refusal says what is wrong, and drops
Django's check of the name's extension: the content decides, whatever the file is called.
"""

from django import forms


class CheckedImageField(forms.ImageField):
    default_validators = []  # not the extension of the name

    def __init__(self, *, upload_validators=(), **kwargs):
        super().__init__(**kwargs)
        self.upload_validators = list(upload_validators)

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is not None:
            for validator in self.upload_validators:
                validator(uploaded)
        return super().to_python(data)
