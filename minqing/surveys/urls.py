from django.urls import path

from . import public_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/questions/<int:question_id>/remove/", views.question_remove, name="question_remove"),
    path("<int:pk>/publish/", views.survey_publish, name="publish"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/qr.<str:kind>", views.survey_qr, name="qr"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.xlsx", views.survey_export, name="export"),
    path("ratings/", views.ratings, name="ratings"),
    # public, no login
    path("s/<str:token>/", public_views.survey_answer, name="answer"),
    path("s/<str:token>/thanks/", public_views.survey_thanks, name="thanks"),
    path("rate/<str:code>/<str:token>/", public_views.appeal_rate, name="appeal_rate"),
]
