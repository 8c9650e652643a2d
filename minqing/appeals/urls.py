from django.urls import path

from . import public_views, taxonomy_views, views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_search, name="list"),
    path("todo/", views.appeal_todo, name="todo"),
    path("inbox/", views.appeal_todo, name="inbox"),
    path("new/", views.appeal_intake, name="intake"),
    path("supervision/", views.supervision_board, name="supervision"),
    path("overdue/", views.overdue_board, name="overdue"),
    path("taxonomy/", taxonomy_views.taxonomy, name="taxonomy"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/do/<str:verb>/", views.appeal_act, name="act"),
    path("<int:pk>/reply-check/", views.reply_check, name="reply_check"),
    path("<int:pk>/supervision-answer/", views.supervision_answer, name="supervision_answer"),
    path("<int:pk>/photos/<int:photo_id>/", views.appeal_photo, name="photo"),
    # public, no login
    path("submit/", public_views.public_intake, name="public_intake"),
    path("track/", public_views.public_lookup, name="lookup"),
    path("t/<str:code>/<str:token>/", public_views.public_track, name="track"),
    path("t/<str:code>/<str:token>/rate/", public_views.public_rate, name="rate"),
    path("t/<str:code>/<str:token>/sms/", public_views.public_sms_code, name="sms_code"),
    path("t/<str:code>/<str:token>/sms/verify/", public_views.public_sms_verify, name="sms_verify"),
]
