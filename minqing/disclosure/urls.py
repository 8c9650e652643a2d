from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    # staff
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.notice_new, name="new"),
    path("manage/<int:pk>/", views.notice_detail, name="detail"),
    path("manage/<int:pk>/edit/", views.notice_edit, name="edit"),
    path("manage/<int:pk>/publish/", views.notice_publish_view, name="publish"),
    path("manage/<int:pk>/withdraw/", views.notice_withdraw_view, name="withdraw"),
    # public, no login
    path("", views.public_index, name="public_index"),
    path("c/<str:code>/", views.public_board, name="board"),
    path("c/<str:code>/figures/", views.public_figures, name="figures"),
    path("n/<int:pk>/", views.public_notice, name="notice"),
    path("n/<int:pk>/pdf/", views.public_notice_pdf, name="notice_pdf"),
    path("n/<int:pk>/objection/", views.public_objection, name="objection"),
]
