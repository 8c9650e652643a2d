import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.workdays.calendar import calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def heating(tree):
    """A heating company serving the street, with one login; and a second unit that must see nothing."""
    unit = PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"])
    other = PartnerUnitFactory(name="安居物业公司", service_area=tree["community_a"])
    return {
        "unit": unit, "user": user_with_role(Role.PARTNER_UNIT, tree["street"], partner_unit=unit, username="t_heat"),
        "other_unit": other,
        "other_user": user_with_role(Role.PARTNER_UNIT, tree["community_a"], partner_unit=other, username="t_prop"),
    }
