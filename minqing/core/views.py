from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the static icon (hashed name in production)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
