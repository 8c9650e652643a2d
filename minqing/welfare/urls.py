from django.urls import path

from . import views

app_name = "welfare"
urlpatterns = [
    path("", views.application_list_view, name="list"),
    path("new/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/pdf/", views.application_pdf_view, name="pdf"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/appraise/", views.appraise, name="appraise"),
    path("<int:pk>/close-notice/", views.close_notice, name="close_notice"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/disburse/", views.disburse, name="disburse"),
    path("<int:pk>/rereview/", views.rereview, name="rereview"),
    path("<int:pk>/objection/", views.objection_new, name="objection_new"),
    path("objections/<int:pk>/answer/", views.objection_answer_view, name="objection_answer"),
    path("programmes/", views.programmes, name="programmes"),
    path("relations/", views.relations, name="relations"),
    path("figures/", views.figures, name="figures"),
]
