from django.urls import path

from . import public_views

app_name = "policy_public"

urlpatterns = [
    path("c/<str:code>/", public_views.public_policy, name="search"),
]
