"""Volunteer data built through the services (so each row is what the pages would have made)."""
import datetime

from django.utils import timezone

from minqing.residents.tests.factories import HouseholdFactory, make_resident
from minqing.volunteers import services
from minqing.volunteers.models import TeamCategory, TeamKind


def resident_in(building, name="张三", phone=""):
    return make_resident(HouseholdFactory(building=building), name, phone=phone)


def team_in(community, actor, *, name="清洁卫生保洁队", leader=None, kind=TeamKind.TEAM,
            category=TeamCategory.CLEANING):
    return services.team_create(actor=actor, community=community, name=name, kind=kind, category=category,
                                charter="自愿参加，每周六上午清扫楼道。", leader=leader)


def activity_of(team, actor, *, places=3, starts_in=datetime.timedelta(days=2), hours=2, title="楼道大扫除"):
    start = timezone.now() + starts_in
    return services.activity_post(actor=actor, team=team, title=title, location="3栋楼下",
                                  starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
                                  places_needed=places)


def sign_up(activity, phone="13800000001", name="王阿姨"):
    return services.signup_create(activity_id=activity.pk, name=name, phone=phone)
