from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("sessions/<int:pk>/materials/<int:material_id>/", views.material_download, name="material_download"),
    path("quizzes/new/", views.quiz_new, name="quiz_new"),
    path("quizzes/<int:pk>/", views.quiz_take, name="quiz_take"),
    path("quizzes/<int:pk>/results/", views.quiz_results, name="quiz_results"),
    path("answers/", views.answer_list, name="answer_list"),
    path("answers/new/", views.answer_new, name="answer_new"),
    path("answers/<int:pk>/", views.answer_edit, name="answer_edit"),
    path("answers/accuracy/", views.accuracy, name="accuracy"),
    path("suggest/<int:appeal_id>/", views.suggest, name="suggest"),
    path("suggest/<int:appeal_id>/use/", views.suggestion_use, name="suggestion_use"),
]
