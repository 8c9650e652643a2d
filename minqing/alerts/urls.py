from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_index, name="list"),
    path("rules/", views.rule_index, name="rules"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/<slug:verb>/", views.alert_act, name="act"),
]
