from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_index, name="index"),
    path("demands/", views.dashboard_demands, name="demands"),
    path("report/", views.report_index, name="report"),
    path("report/<str:fmt>/", views.report_download, name="report_download"),
]
