"""Party test data, built through the services (so every row is as the app writes it)."""
import datetime
import itertools

from minqing.accounts.tests.factories import UserFactory
from minqing.party import services
from minqing.party.models import Category, OrgKind, Relation, WorkStatus
from minqing.residents.tests.factories import HouseholdFactory, make_resident, valid_id_number

_n = itertools.count(1)
JOINED = datetime.date(1990, 7, 1)



def _admin():
    return UserFactory(username=f"party_admin_{next(_n)}", is_superuser=True)


def org(place, *, kind=OrgKind.BRANCH, name="", parent=None, actor=None):
    return services.org_create(actor=actor or _admin(), name=name or f"{place.name}{OrgKind(kind).label}", kind=kind,
                               place=place, parent=parent)


def resident(building, name="党员甲", **extra):
    household = HouseholdFactory(building=building)
    return make_resident(household, name, id_number=valid_id_number(born=datetime.date(1950 + (n := next(_n)) % 40, 1 + n % 12, 1 + n % 28), sequence=n), phone="13800138000", **extra)


def member(branch, building, name="党员甲", *, actor=None, relation=Relation.HERE, joined_on=JOINED,
           category=Category.FULL, work_status=WorkStatus.RETIRED, group=None, **extra):
    person = resident(building, name, political_status="party")
    return services.member_register(
        actor=actor or _admin(), resident=person, org=branch, joined_on=joined_on, date=extra.pop("date", joined_on),
        category=category, work_status=work_status, relation=relation, group=group,
        from_text=extra.pop("from_text", "外地某公司党支部" if relation == Relation.ELSEWHERE else "矿机关党支部"), **extra)
