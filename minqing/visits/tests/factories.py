import datetime

from minqing.residents.models import CareTag, ResidentTag
from minqing.residents.tests.factories import HouseholdFactory, make_resident
from minqing.visits import services


def household(building, name="张三丰", liaison=None, tags=(), active=True):
    h = HouseholdFactory(building=building, liaison=liaison, is_active=active)
    head = make_resident(h, name)
    for code in tags:
        ResidentTag.objects.create(resident=head, tag=CareTag.objects.get(code=code),
                                   start_date=datetime.date(2020, 1, 1), place_code=h.place_code)
    return h


def visit(actor, h, day, visitors=None, needs=(), kind="routine"):
    return services.visit_record(actor=actor, household=h, visited_on=day, kind=kind,
                                 visitors=visitors or [actor], notes="一切正常", needs=list(needs))
