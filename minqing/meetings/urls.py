from django.urls import path

from . import views, views_receptions

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_index, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("series/new/", views.series_new, name="series_new"),
    path("figures/", views.figures_view, name="figures"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/publish/", views.meeting_publish, name="publish"),
    path("<int:pk>/notice.pdf", views.meeting_notice_pdf, name="notice_pdf"),
    path("<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/<slug:verb>/", views.meeting_act, name="act"),
    path("opinions/<int:pk>/<slug:verb>/", views.opinion_act, name="opinion_act"),
    path("receptions/", views_receptions.reception_index, name="receptions"),
    path("receptions/<int:pk>/", views_receptions.reception_detail, name="reception"),
    path("receptions/<int:pk>/<slug:verb>/", views_receptions.reception_act, name="reception_act"),
]
