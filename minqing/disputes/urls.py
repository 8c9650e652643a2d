from django.urls import path

from .views import assessment, disputes, figures, screening

app_name = "disputes"
urlpatterns = [
    path("", disputes.dispute_index, name="list"),
    path("new/", disputes.dispute_report, name="report"),
    path("<int:pk>/", disputes.dispute_detail, name="detail"),
    path("<int:pk>/agreement.pdf", disputes.agreement_print, name="agreement_pdf"),
    path("<int:pk>/duty/<int:duty_pk>/", disputes.responsibility_act, name="duty"),
    path("<int:pk>/<slug:verb>/", disputes.dispute_act, name="act"),
    path("screening/", screening.screening_index, name="screening_list"),
    path("screening/new/", screening.screening_file, name="screening_file"),
    path("assessments/", assessment.assessment_index, name="assessment_list"),
    path("assessments/new/", assessment.assessment_open, name="assessment_open"),
    path("assessments/<int:pk>/", assessment.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/report.pdf", assessment.assessment_print, name="assessment_pdf"),
    path("assessments/<int:pk>/<slug:verb>/", assessment.assessment_act, name="assessment_act"),
    path("figures/", figures.figures_page, name="figures"),
]
