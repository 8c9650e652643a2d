from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("hot/", views.hot, name="hot"),
    path("accuracy/", views.accuracy, name="accuracy"),
]
