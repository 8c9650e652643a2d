from django.urls import path

from . import public_views, views

app_name = "volunteers"
urlpatterns = [
    path("", views.index, name="index"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/charter/", views.team_charter, name="team_charter"),
    path("teams/<int:pk>/members/", views.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:membership_id>/leave/", views.member_leave, name="member_leave"),
    path("teams/<int:pk>/members/<int:membership_id>/lead/", views.member_lead, name="member_lead"),
    path("teams/<int:pk>/activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/attendance/", views.activity_attendance, name="attendance"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("record/<str:phone_hash>/", views.volunteer_record, name="record"),
    path("figures/", views.figures, name="figures"),
    # public, no login
    path("join/", public_views.public_activities, name="public_list"),
    path("join/<int:pk>/", public_views.public_activity, name="public_activity"),
    path("s/<int:pk>/<str:token>/", public_views.public_signup, name="public_signup"),
    path("s/<int:pk>/<str:token>/cancel/", public_views.public_cancel, name="public_cancel"),
    path("honour/<str:code>/<int:year>/", public_views.public_honour, name="public_honour"),
]
