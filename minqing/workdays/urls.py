from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_year, name="year"),
    path("<int:year>/", views.calendar_year, name="year_detail"),
]
