from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_inbox, name="list"),
    path("read/", views.notification_read, name="read"),
]
