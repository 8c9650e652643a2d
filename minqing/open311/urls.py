from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"(?:\.(?P<fmt>[A-Za-z0-9]+))?$"  # unknown formats reach the view, which refuses them
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.request_list, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, views.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
