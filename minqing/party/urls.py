from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/new/", views.org_new, name="org_new"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/officers/", views.org_officers, name="org_officers"),
    path("members/", views.member_list_view, name="members"),
    path("members/new/", views.member_new, name="member_new"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/<slug:verb>/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/posts/new/", views.post_new, name="post_new"),
    path("members/<int:pk>/services/new/", views.service_new, name="service_new"),
    path("posts/", views.posts, name="posts"),
    path("edge/", views.edge_list_view, name="edge"),
    path("edge/<int:resident_id>/contact/", views.edge_contact, name="edge_contact"),
    path("sessions/", views.session_list_view, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/hold/", views.session_hold, name="session_hold"),
    path("sessions/<int:pk>/minutes/", views.session_minutes, name="session_minutes"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("appraisals/", views.appraisal_list_view, name="appraisals"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/ballot/", views.appraisal_ballot, name="appraisal_ballot"),
    path("appraisals/<int:pk>/close/", views.appraisal_close, name="appraisal_close"),
    path("figures/", views.figures_view, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
]
