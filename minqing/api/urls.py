from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from . import views
from .error_handlers import error_body
from .v1 import api


def _shaped(view):
    """Ninja answers a wrong method with Django's bare 405; give it the one error shape too."""
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            shaped = JsonResponse(error_body("method_not_allowed", _("该地址不支持此请求方法。")), status=405,
                                  json_dumps_params={"ensure_ascii": False})
            shaped["Allow"] = response["Allow"]
            return shaped
        return response
    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped


def _unknown_endpoint(request, rest):
    return JsonResponse(error_body("not_found", _("没有这个接口。")), status=404,
                        json_dumps_params={"ensure_ascii": False})


api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    pattern.callback = _shaped(pattern.callback)

app_name = "api"
urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/", (api_patterns, api_app, api_namespace)),
    path("v1/<path:rest>", _unknown_endpoint),
]
