"""Meetings built through the services, as the pages build them."""
import datetime

from django.utils import timezone

from minqing.meetings import receptions, services
from minqing.meetings.models import MeetingKind, MeetingSeries
from minqing.residents.tests.factories import HouseholdFactory, make_resident


def resident(building, name="张三丰"):
    return make_resident(HouseholdFactory(building=building), name)


def series(actor, place, kind=MeetingKind.FORUM, name=None):
    return services.series_create(actor=actor, place=place, kind=kind, name=name or f"{place.name}{kind}")


def meeting(actor, the_series, *, days_ago=1, residents=(), partner_units=(), staff=(), location="社区活动室"):
    return services.meeting_call(actor=actor, series=the_series, location=location, agenda="小区停车和供暖",
                                 starts_at=timezone.now() - datetime.timedelta(days=days_ago),
                                 residents=residents, partner_units=partner_units, staff=staff)


def held(actor, the_series, residents, *, days_ago=1, attended=None):
    m = meeting(actor, the_series, days_ago=days_ago, residents=residents)
    ids = [i.pk for i in m.invitees.all()][: (len(residents) if attended is None else attended)]
    return services.meeting_hold(actor=actor, meeting=m, attended=ids)


def opinion(actor, m, who, text="楼道灯坏了好几天了", **kwargs):
    return services.opinion_add(actor=actor, meeting=m, resident=who, text=text, **kwargs)


def reception(actor, leader, place, day=None):
    return receptions.reception_schedule(actor=actor, leader=leader, place=place, location="社区服务中心",
                                         day=day or timezone.localdate())


def series_of(kind) -> MeetingSeries:
    return MeetingSeries.objects.get(kind=kind)
