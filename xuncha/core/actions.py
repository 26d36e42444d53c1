"""One shape for POST-only action views: validate the form, call the service, say how it went."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def run_service(request, action: Callable[[], object], *, success: str | Callable[[object], str]) -> bool:
    """Call ``action``; report its ValidationError, or ``success``, as a message.

    ``success`` may be a function of what ``action`` returned (“已作废 3 个码”).
    """
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def apply_form(request, form, action: Callable[[dict], object], *, success: str | Callable[[object], str],
               invalid: str | None = None) -> bool:
    """Validate ``form`` and pass its cleaned data to ``action`` (a service call).

    ``invalid`` is the message for a form that does not validate; by default the form's own errors.
    """
    if not form.is_valid():
        messages.error(request, invalid or "；".join(
            f"{form.fields[name].label if name in form.fields else ''}{error}"
            for name, errors in form.errors.items() for error in errors))
        return False
    return run_service(request, lambda: action(form.cleaned_data), success=success)
