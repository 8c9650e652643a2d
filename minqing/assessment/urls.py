from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("new/", views.scheme_new, name="scheme_new"),
    path("<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("<int:pk>/export.xlsx", views.scheme_export, name="scheme_export"),
    path("<int:pk>/top-down/", views.top_down_enter, name="top_down"),
    path("<int:pk>/drill/<slug:code>/<str:key>/", views.scheme_drill, name="drill"),
    path("<int:pk>/<slug:verb>/", views.scheme_act, name="scheme_act"),
    path("civility/", views.civility, name="civility"),
    path("civility/<int:check_pk>/nominate/", views.nominate, name="nominate"),
    path("civility/nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("civility/publish/", views.nominations_publish, name="nominations_publish"),
    path("civility/<int:year>/honour-roll/", views.honour_roll, name="honour_roll"),
    path("five-ones/", views.five_ones, name="five_ones"),
]
