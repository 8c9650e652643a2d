"""Showing a service's ApplicationError on an HTML form, field by field."""
from django import forms

from .errors import ApplicationError


def form_add_error(form: forms.Form, error: ApplicationError) -> None:
    """Attach the error's per-field messages to the form's fields; the rest become form-wide errors."""
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if not error.fields:
        form.add_error(None, str(error.message))
