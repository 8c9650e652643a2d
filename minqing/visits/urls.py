from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.due, name="due"),
    path("print/", views.due_print, name="due_print"),
    path("new/", views.visit_new, name="new"),
    path("list/", views.visit_list_view, name="list"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/needs/", views.need_add, name="need_add"),
    path("needs/<int:pk>/demand/", views.need_to_demand, name="need_to_demand"),
    path("needs/<int:pk>/solved/", views.need_solved, name="need_solved"),
    path("coverage/", views.coverage, name="coverage"),
    path("cycles/", views.cycles, name="cycles"),
    path("rounds/", views.rounds, name="rounds"),
    path("help/", views.help_list_view, name="help_list"),
    path("help/new/", views.help_new, name="help_new"),
    path("household/<int:household_id>/", views.household_history, name="household"),
]
