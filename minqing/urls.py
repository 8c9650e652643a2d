from django.contrib import admin
from django.urls import include, path

from minqing.accounts import views as account_views
from minqing.core import views as core_views

urlpatterns = [
    path("", account_views.home, name="home"),
    # the machine interfaces first: Django tries the prefixes in order, and a submission through the API walked
    # twenty apps' prefixes before its own (issue 19)
    path("api/", include("minqing.api.urls")),
    path("open311/v2/", include("minqing.open311.urls")),
    path("accounts/", include("minqing.accounts.urls")),
    path("places/", include("minqing.places.urls")),
    path("residents/", include("minqing.residents.urls")),
    path("disputes/", include("minqing.disputes.urls")),
    path("alerts/", include("minqing.alerts.urls")),
    path("visits/", include("minqing.visits.urls")),
    path("welfare/", include("minqing.welfare.urls")),
    path("meetings/", include("minqing.meetings.urls")),
    path("party/", include("minqing.party.urls")),
    path("public/policy/", include("minqing.training.public_urls")),
    path("public/", include("minqing.disclosure.urls")),
    path("audit/", include("minqing.accounts.audit_urls")),
    path("workdays/", include("minqing.workdays.urls")),
    path("appeals/", include("minqing.appeals.urls")),
    path("insight/", include("minqing.insight.urls")),
    path("training/", include("minqing.training.urls")),
    path("dashboard/", include("minqing.dashboard.urls")),
    path("assessment/", include("minqing.assessment.urls")),
    path("volunteers/", include("minqing.volunteers.urls")),
    path("surveys/", include("minqing.surveys.urls")),
    path("notifications/", include("minqing.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # browsers ask for /favicon.ico on every page, whatever the <link rel=icon> says
    path("favicon.ico", core_views.favicon),
]

# No open /media/ route, not even with DEBUG on: uploaded photos are personal data and are served only
# by views that check the reader's scope (appeals:photo). Issue 13.10.
