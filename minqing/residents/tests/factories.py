"""Ledger test data: households and residents with sealed personal data, and valid fictional ID numbers."""
import datetime
import itertools

import factory

from minqing.residents.identity import check_character
from minqing.residents.models import Household, Resident, ResidentStatus
from minqing.residents.services import apply_identity

_sequence = itertools.count(1)


def valid_id_number(born=datetime.date(1965, 3, 2), sex="M", region="110105", sequence: int | None = None) -> str:
    """A fictional ID number with a correct GB 11643 check character (odd sequence: male)."""
    n = next(_sequence) if sequence is None else sequence
    seq = (n % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = None
    place_code = factory.LazyAttribute(lambda o: o.building.code)
    room = factory.Sequence(lambda n: f"1单元{100 + n}")


def make_resident(household: Household | None, name: str = "张三", *, relation: str = "head", id_number: str = "",
                  phone: str = "", sex: str = "", birth_date=None, place_code: str | None = None,
                  status: str = ResidentStatus.LIVING, **extra) -> Resident:
    """A resident saved directly (not through the services), personal data sealed like the services do."""
    resident = Resident(household=household, place_code=place_code or household.place_code, status=status, **extra)
    values = {"name": name, "relation": relation, "sex": sex, "birth_date": birth_date}
    if id_number:
        from minqing.residents.identity import parse_id_number

        parsed = parse_id_number(id_number)
        values.update(id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date)
    if phone:
        values["phone"] = phone
    apply_identity(resident, values)
    resident.save()
    if relation == "head" and household is not None and household.head_id is None:
        household.head = resident
        household.save(update_fields=["head"])
    return resident
